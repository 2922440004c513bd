-- Sync jobs (initial load, resync): each sends the current record of every citizen in its scope to one agency,
-- through the agency's own queue. checkpoint is the last NIK put on the queue (the citizens are sent in NIK order):
-- a job stopped by a crash resumes after it, and the broker drops what it had already received (each snapshot
-- message's duplicate-detection id is the job and the NIK).
CREATE TABLE sync_job (
    id               UUID                     NOT NULL PRIMARY KEY,
    agency           VARCHAR(64)              NOT NULL,
    scope            VARCHAR                  NOT NULL,
    purpose          VARCHAR(32)              NOT NULL,
    state            VARCHAR(16)              NOT NULL,
    total            BIGINT                   NOT NULL,
    sent             BIGINT                   NOT NULL,
    rate_per_second  INT,
    checkpoint       VARCHAR(16),
    enqueued_all     BOOLEAN                  NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX sync_job_by_agency ON sync_job (agency, started_at);
CREATE INDEX sync_job_by_state ON sync_job (state);

-- What the agency took (delivered) or refused (failed) of a job, one row per delivered batch: appended by the
-- delivery's own commit, so deliveries on several consumers never wait for one another or for the job's row (which
-- the runner locks while it sends a page); a job's figures are the sums.
CREATE TABLE sync_progress (
    sync_id    UUID   NOT NULL REFERENCES sync_job (id),
    delivered  INT    NOT NULL,
    failed     INT    NOT NULL
);

CREATE INDEX sync_progress_by_job ON sync_progress (sync_id);

-- The citizens of a running job the agency took or refused: a batch delivered again after a crash (the database had
-- committed, the broker had not) counts only those it had not counted. Emptied when the job finishes.
CREATE TABLE sync_delivered (
    sync_id  UUID        NOT NULL,
    nik      VARCHAR(16) NOT NULL,
    PRIMARY KEY (sync_id, nik)
);

-- Per agency and citizen, the version of the master record the agency last received in a snapshot. A live event
-- whose record version is not above it is older than what the agency has and is not delivered after it.
CREATE TABLE sync_watermark (
    agency   VARCHAR(64) NOT NULL,
    nik      VARCHAR(16) NOT NULL,
    version  BIGINT      NOT NULL,
    PRIMARY KEY (agency, nik)
);

-- The version of the citizen's master record right after the event was applied: published with the event
-- (JembatanCitizenVersion), compared with the watermark at delivery. Null for rows written before this migration.
ALTER TABLE outbox ADD COLUMN citizen_version BIGINT;
