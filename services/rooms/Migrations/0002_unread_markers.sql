-- Unread counts without writing every member's row on every message: the room counts its
-- messages (system ones aside), and each member keeps that count as of their last read, so a
-- member's unread count is the difference. A new message writes one row, not one per member.
ALTER TABLE rooms ADD COLUMN message_count bigint NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN read_marker bigint NOT NULL DEFAULT 0;
-- message_count starts at 0: a marker of -unread keeps each member's current count.
UPDATE memberships SET read_marker = -unread_count;
ALTER TABLE memberships DROP COLUMN unread_count;
