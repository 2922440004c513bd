-- The secret key the bus derives message group ids from. The group of a citizen's messages on the broker
-- (JMSXGroupID) is a keyed hash (HMAC-SHA256) of the NIK, never the NIK itself, so that the broker's logs, consoles
-- and dead letters show no NIK. One row, written by the first bus instance that starts; every instance on this
-- database reads the same key and so derives the same group for a citizen, which keeps that citizen's messages in
-- order whichever instance publishes them.
CREATE TABLE message_group_key (
    id        INT      NOT NULL PRIMARY KEY,
    hmac_key  CHAR(64) NOT NULL
);
