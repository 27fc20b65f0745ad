-- Which relay delivers to a subscriber: one instance at a time holds the lease (so a stream
-- reaches the subscriber in order), renewing it while it works. A relay that dies keeps it until
-- `expires_at`; then another takes over and delivers again what was posted but not acknowledged
-- (consumers apply each event id once).
CREATE TABLE outbox_relay_leases (
    subscriber text PRIMARY KEY,
    holder uuid NOT NULL,
    expires_at timestamptz NOT NULL
);
