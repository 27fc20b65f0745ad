-- The deliveries of one event, by its `seq` alone: the relay deletes an event once no subscriber
-- awaits it (a NOT EXISTS by `seq`), and the foreign key's ON DELETE CASCADE looks for its
-- deliveries the same way. Without it, each did a scan of every delivery row (dead ones included),
-- some 20 ms per acknowledged batch under a steady flow of sends.
CREATE INDEX outbox_deliveries_by_event ON outbox_deliveries (seq);
