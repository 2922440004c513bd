-- The quotas (core quota/Quotas, Bucket4j's PostgreSQL proxy manager): one row per agency, purpose, operation and
-- quota, its bucket's state serialised by Bucket4j. Each request locks its row (SELECT ... FOR UPDATE) for one short
-- transaction, so every bus instance on this database counts against the same quotas.
CREATE TABLE quota_bucket (
    id    VARCHAR(512) NOT NULL PRIMARY KEY,
    state BYTEA
);
