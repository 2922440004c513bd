-- The audit chain: every accepted event, delivery, lookup and verification, each entry holding the SHA-256 of the
-- previous one. audit_head is the single row every append locks, so appends form one chain even from several bus
-- instances; it also records the last position and hash, so a deleted tail is detected.
CREATE TABLE audit_entry (
    seq        BIGINT                   NOT NULL PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    agency     VARCHAR(64)              NOT NULL,
    nik        VARCHAR(16),
    action     VARCHAR(32)              NOT NULL,
    purpose    VARCHAR(64),
    fields     VARCHAR(2000)            NOT NULL,
    channel    VARCHAR(32)              NOT NULL,
    outcome    VARCHAR(32)              NOT NULL,
    reference  VARCHAR(64),
    prev_hash  CHAR(64)                 NOT NULL,
    hash       CHAR(64)                 NOT NULL
);

CREATE INDEX audit_entry_by_nik ON audit_entry (nik, seq);

CREATE TABLE audit_head (
    id    INT      NOT NULL PRIMARY KEY,
    seq   BIGINT   NOT NULL,
    hash  CHAR(64) NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
