-- The W3C trace context (traceparent) of the apply that queued the event, so that the relay's publication and each
-- agency's delivery continue the trace of the request or message that brought the event. Null when tracing was off
-- or the row was written before this migration: the publication then starts a trace of its own.
ALTER TABLE outbox ADD COLUMN trace_parent VARCHAR(55);
