-- Search's own copy of what it needs from messages, fed by messages' events: one row per live
-- message (system messages and deleted ones are not kept). Only what finding and filtering
-- read is here, so scans over many matches stay narrow; what a result shows is in
-- search_message_bodies.
CREATE TABLE search_messages (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    sender_id uuid,
    -- The thread's root for a reply; NULL for a root or a message outside threads.
    parent_id uuid,
    created_at timestamptz NOT NULL,
    has_attachments boolean NOT NULL,
    has_links boolean NOT NULL,
    -- The content and the extra terms that make identifiers, addresses and numbers findable.
    document tsvector NOT NULL
);

CREATE TABLE search_message_bodies (
    id uuid PRIMARY KEY REFERENCES search_messages (id) ON DELETE CASCADE,
    content text NOT NULL,
    -- The message as its last created or updated event showed it (API.md's message object).
    message jsonb NOT NULL
);

CREATE INDEX search_messages_document ON search_messages USING gin (document);
-- Context (the message before and after in a room), room filters and recent-first scans.
CREATE INDEX search_messages_room ON search_messages (room_id, id);
CREATE INDEX search_messages_sender ON search_messages (sender_id, id);
CREATE INDEX search_messages_thread ON search_messages (parent_id, id) WHERE parent_id IS NOT NULL;

-- How far `search reindex` got through messages' export: a rerun continues from here.
CREATE TABLE reindex_progress (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id uuid NOT NULL,
    indexed bigint NOT NULL
);
