-- Agencies an operator suspended: one row per suspended agency, removed when it is reinstated. Every bus instance
-- reads this table (at start and then every jembatan.suspensions.refresh-interval), so a suspension survives a
-- restart and reaches every instance. delivery_was_paused remembers that delivery was already paused by an operator
-- when the agency was suspended, so that reinstating it does not resume what the operator had paused.
CREATE TABLE agency_suspension (
    agency              VARCHAR(64)              NOT NULL PRIMARY KEY,
    since               TIMESTAMP WITH TIME ZONE NOT NULL,
    operator            VARCHAR(128)             NOT NULL,
    reason              VARCHAR(500)             NOT NULL,
    delivery_was_paused BOOLEAN                  NOT NULL
);
