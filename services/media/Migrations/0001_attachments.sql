-- Uploaded files: their metadata here, their bytes (and an image's thumbnail) in the object store.
CREATE TABLE attachments (
    id uuid PRIMARY KEY,
    uploader_id uuid NOT NULL,
    filename text NOT NULL,
    mime_type text NOT NULL,
    size bigint NOT NULL CHECK (size >= 0),
    -- Hex SHA-256 of the bytes: the ETag.
    sha256 text NOT NULL,
    object_key text NOT NULL,
    thumbnail_key text,
    width int,
    height int,
    created_at timestamptz NOT NULL,
    -- Set while a message carries the attachment; NULL before that and after the message is deleted.
    linked_at timestamptz
);

-- The clean-up job's scan: unlinked uploads, oldest first.
CREATE INDEX attachments_unlinked ON attachments (created_at) WHERE linked_at IS NULL;
