-- The row an outbox relay locks while it publishes a batch (SELECT ... FOR UPDATE SKIP LOCKED). With several bus
-- instances on one database only one relays at a time, in outbox order, so one citizen's events reach the broker
-- in the order they were applied; the lock ends with the holder's transaction, or with its session when the
-- holder's process dies, and the next instance takes over.
CREATE TABLE outbox_relay_lease (
    id  INT NOT NULL PRIMARY KEY
);

INSERT INTO outbox_relay_lease (id) VALUES (1);
