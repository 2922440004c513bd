-- FHIR Bulk Data exports ($export): one row per job an agency kicked off, one row per NDJSON file it wrote.
-- A job's row is its status answer; heartbeat_at moves with every page, so a job whose bus stopped (a restart, a
-- kill) is told apart from one that is still running. A cancelled or expired job's rows are deleted with its files.
CREATE TABLE bulk_export (
    id                UUID                     NOT NULL PRIMARY KEY,
    agency            VARCHAR(64)              NOT NULL,
    purpose           VARCHAR(64)              NOT NULL,
    request           VARCHAR(2000)            NOT NULL,
    since             TIMESTAMP WITH TIME ZONE,
    state             VARCHAR(16)              NOT NULL,
    transaction_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    total             BIGINT                   NOT NULL,
    exported          BIGINT                   NOT NULL,
    error_code        VARCHAR(64),
    heartbeat_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at       TIMESTAMP WITH TIME ZONE
);

CREATE INDEX bulk_export_by_agency ON bulk_export (agency, state);

CREATE TABLE bulk_export_file (
    export_id  UUID    NOT NULL REFERENCES bulk_export (id) ON DELETE CASCADE,
    seq        INT     NOT NULL,
    resources  BIGINT  NOT NULL,
    PRIMARY KEY (export_id, seq)
);

-- No index on citizen.updated_at for _since: every event changes it, and the index would cost every ingest an index
-- write (PostgreSQL could no longer update the row in place). An export with _since walks the index by NIK as a full
-- one does and skips the unchanged.
