-- Messages written now to be sent later (`send_at`, 1 minute to 1 year ahead). Whichever
-- instance claims a due one first delivers it: the claim is a lease (`claimed_until`), so one
-- that stops mid-delivery leaves it to another after the lease. The message it becomes carries
-- the client id `scheduled:<id>`, so a second delivery finds that message instead of sending
-- it twice. `failed`: it could not be sent at its time (`failure` says why) and waits for its
-- author to change or cancel it; `sent` rows keep the message's id.
CREATE TABLE scheduled_messages (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    sender_id uuid NOT NULL,
    content text NOT NULL,
    parent_id uuid,
    send_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('scheduled', 'sent', 'failed')),
    failure text,
    message_id uuid,
    claimed_until timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- The delivery job's next due messages, and an author's list per room.
CREATE INDEX scheduled_messages_due ON scheduled_messages (send_at) WHERE status = 'scheduled';
CREATE INDEX scheduled_messages_by_sender ON scheduled_messages (sender_id, room_id, send_at);
