-- A game invitation is a message of type `game` posted for its inviter by games' `game_invited`
-- event; game_id is the invitation's id (games holds its state).
ALTER TABLE messages ADD COLUMN game_id uuid;
ALTER TABLE messages DROP CONSTRAINT messages_type_check;
ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (type IN ('text', 'image', 'file', 'system', 'game'));
