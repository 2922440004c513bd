-- Metering (core metering/Usage) counts the audit chain's entries of a period by agency, purpose, operation and day:
-- an index on the time keeps that a range scan, not a walk of the whole chain.
CREATE INDEX audit_entry_by_time ON audit_entry (at);
