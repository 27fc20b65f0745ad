-- The W3C traceparent of the work that emitted each event (NULL when it was not traced): the
-- relay's and the consumers' spans continue that trace.
ALTER TABLE outbox_events ADD COLUMN trace_parent text;
