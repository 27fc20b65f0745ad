-- `security` notifications (sign-in attempts paused) are about the account, not a room: they have
-- no room and no actor. Every other type keeps both.
ALTER TABLE notifications DROP CONSTRAINT notifications_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_type_check
    CHECK (type IN ('mention', 'reply', 'direct_message', 'room_invite', 'message', 'security'));
ALTER TABLE notifications
    ALTER COLUMN room_id DROP NOT NULL,
    ALTER COLUMN room_name DROP NOT NULL,
    ALTER COLUMN room_type DROP NOT NULL,
    ALTER COLUMN actor DROP NOT NULL;
ALTER TABLE notifications ADD CONSTRAINT notifications_room_check
    CHECK (type = 'security' OR (room_id IS NOT NULL AND room_name IS NOT NULL AND room_type IS NOT NULL AND actor IS NOT NULL));
