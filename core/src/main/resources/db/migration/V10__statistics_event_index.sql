-- Open statistics count the journal's events of one type by month: an index on both keeps that a range scan.
CREATE INDEX citizen_event_by_type_time ON citizen_event (event_type, occurred_at);
