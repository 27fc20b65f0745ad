-- Events a subscriber refused for good (a 4xx to a batch of that event alone): taken out of its
-- deliveries so the stream behind them moves on, and kept whole here (the event row itself is
-- deleted once nobody awaits it) until an operator replays them (`POST /internal/dead-letters/replay`).
CREATE TABLE outbox_dead_letters (
    id bigserial PRIMARY KEY,
    subscriber text NOT NULL,
    event_id uuid NOT NULL,
    stream text NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data jsonb NOT NULL,
    status integer NOT NULL,
    failed_at timestamptz NOT NULL
);
