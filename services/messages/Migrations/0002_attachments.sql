-- The files a message carries (media's attachments), as it shows them, in the order sent.
ALTER TABLE messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]';

-- Which message carries each attachment: one message at most, and who may see it follows from
-- that message's room (media asks, through checkAttachmentViewer).
CREATE TABLE message_attachments (
    attachment_id uuid PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id)
);
CREATE INDEX message_attachments_message ON message_attachments (message_id);
