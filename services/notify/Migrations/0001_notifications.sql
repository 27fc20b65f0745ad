-- One row per notification. Each is about one subject, at most once per recipient: the message
-- (mentions, replies, direct messages, `all`-level messages) or the event that added the
-- recipient to a room, so an event delivered twice, or an edit mentioning someone notified
-- already, adds nothing. Title, preview and actor are kept as they were when it was made.
CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    recipient_id uuid NOT NULL,
    type text NOT NULL CHECK (type IN ('mention', 'reply', 'direct_message', 'room_invite', 'message')),
    subject_id uuid NOT NULL,
    room_id uuid NOT NULL,
    room_name text NOT NULL,
    room_type text NOT NULL,
    message_id uuid,
    -- The message's thread root, for a link that opens the thread.
    thread_id uuid,
    -- Who caused it: API.md's user object, as it was.
    actor jsonb NOT NULL,
    title text NOT NULL,
    content text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    read_at timestamptz,
    UNIQUE (recipient_id, subject_id)
);

-- A recipient's list, newest first, and the unread among it.
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (recipient_id, created_at DESC, id DESC) WHERE read_at IS NULL;
-- Retracting a deleted message's notifications.
CREATE INDEX notifications_by_message ON notifications (message_id) WHERE message_id IS NOT NULL;
-- The expiry job's batches.
CREATE INDEX notifications_by_expiry ON notifications (expires_at);
