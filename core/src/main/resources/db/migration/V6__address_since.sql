-- When the citizen's current address took effect: the occurredAt of the event that gave it (the birth, or the move
-- applied last). A move dated before it is older news: it is journaled but does not replace the newer address, so a
-- late event cannot make the index (and the agencies) regress to an older address.
ALTER TABLE citizen ADD COLUMN address_since TIMESTAMP WITH TIME ZONE;

-- Citizens registered before this column: the address-setting event received last is the one whose address the
-- row holds (until now the last arrival won). A citizen without such an event in the journal keeps NULL: the next
-- move applies whatever its date.
UPDATE citizen SET address_since = (
    SELECT e.occurred_at FROM citizen_event e
    WHERE e.nik = citizen.nik AND e.event_type IN ('BirthRegistered', 'AddressChanged')
    ORDER BY e.received_at DESC, e.occurred_at DESC
    FETCH FIRST 1 ROW ONLY);
