-- The audit chain in lanes: one head row per lane, so that concurrent appends (ingest, each agency's deliveries,
-- the lookups' group commit, several bus instances) no longer take turns on one row lock held until each commit's
-- WAL flush. Each lane is a hash chain of its own, starting from a "previous hash" of its own (the genesis below;
-- lane 1 keeps the all-zero one, so the chain written before this migration is lane 1, unchanged and still valid).
-- An entry's position (seq) is now drawn from a sequence while its lane is locked: unique, increasing within a
-- lane, across lanes in the order the entries took their positions. Each head counts its lane's entries, so a
-- removed entry is found by the count as well as by the broken link.
ALTER TABLE audit_entry ADD COLUMN lane INT NOT NULL DEFAULT 1;
CREATE INDEX audit_entry_by_lane ON audit_entry (lane, seq);

ALTER TABLE audit_head ADD COLUMN entries BIGINT NOT NULL DEFAULT 0;
-- Before lanes the positions were consecutive from 1: lane 1 holds as many entries as its head's position.
UPDATE audit_head SET entries = seq WHERE id = 1;

CREATE SEQUENCE audit_entry_seq;
SELECT setval('audit_entry_seq', GREATEST(seq, 1), seq > 0) FROM audit_head WHERE id = 1;

INSERT INTO audit_head (id, seq, hash, entries)
SELECT lane, 0, encode(sha256(convert_to('jembatan audit lane ' || lane, 'UTF8')), 'hex'), 0
FROM generate_series(2, 16) AS lane;
