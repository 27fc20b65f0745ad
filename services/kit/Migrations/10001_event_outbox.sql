-- ServiceKit's event tables, in every service's own schema.

-- Events written in the same transaction as the change they describe. `seq` orders them; the
-- writer holds a per-stream lock until commit, so within a stream `seq` order is commit order.
CREATE TABLE outbox_events (
    seq bigserial PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    stream text NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data jsonb NOT NULL
);

-- One row per (subscriber, event) still to be acknowledged; the relay deletes it on a 2xx.
CREATE TABLE outbox_deliveries (
    subscriber text NOT NULL,
    seq bigint NOT NULL REFERENCES outbox_events (seq) ON DELETE CASCADE,
    PRIMARY KEY (subscriber, seq)
);

-- Ids of events this service has applied as a consumer, so a redelivery changes nothing.
CREATE TABLE inbox_events (
    id uuid PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_events_by_time ON inbox_events (applied_at);
