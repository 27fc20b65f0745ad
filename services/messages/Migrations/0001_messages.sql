-- Messages, their reactions, read positions, reports and pins. Rooms and users belong to other
-- services: their ids are stored here without foreign keys.

CREATE TABLE messages (
    -- UUIDv7: ordering by id is ordering by time, which pagination relies on.
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    -- null for system messages ("alice joined").
    sender_id uuid,
    type text NOT NULL CHECK (type IN ('text', 'image', 'file', 'system')),
    content text NOT NULL,
    content_html text NOT NULL,
    parent_id uuid REFERENCES messages (id),
    -- The sender's idempotency key within the room: a repeat returns the original.
    client_id text,
    -- Users mentioned when it was sent (or last edited), resolved from @username.
    mention_ids uuid[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    edited_at timestamptz,
    deleted boolean NOT NULL DEFAULT false,
    -- Thread roots: how many replies, and when the last came.
    reply_count integer NOT NULL DEFAULT 0,
    last_reply_at timestamptz,
    -- Counts every change (edit, delete, reply, reaction), so a cached copy can tell it is older.
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX messages_by_room ON messages (room_id, id);
CREATE INDEX messages_by_parent ON messages (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE UNIQUE INDEX messages_client_id ON messages (room_id, sender_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE reactions (
    message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    emoji text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
);

-- Each member's read position in a room: everything up to `last_read_id` is read.
CREATE TABLE read_positions (
    room_id uuid NOT NULL,
    user_id uuid NOT NULL,
    last_read_id uuid NOT NULL,
    read_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX read_positions_by_room ON read_positions (room_id, last_read_id);

-- Each advance of a read position, so "who read this, when" is the first advance past it.
CREATE TABLE read_marks (
    room_id uuid NOT NULL,
    user_id uuid NOT NULL,
    up_to_id uuid NOT NULL,
    read_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, user_id, up_to_id)
);

CREATE TABLE reports (
    id uuid PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id),
    room_id uuid NOT NULL,
    reporter_id uuid NOT NULL,
    reason text NOT NULL,
    -- The message as it read when reported: a later edit or delete does not hide it from review.
    reported_content text NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at timestamptz NOT NULL,
    reviewed_by uuid,
    reviewed_at timestamptz,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX reports_by_room ON reports (room_id, status, created_at);

CREATE TABLE pins (
    room_id uuid NOT NULL,
    message_id uuid NOT NULL REFERENCES messages (id),
    pinned_by uuid NOT NULL,
    pinned_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, message_id)
);
