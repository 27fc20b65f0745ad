-- `call` notifications: a call ringing the recipient (calls' `call_started`). The subject is the
-- call, so each call notifies each person it rings once; it has a room and an actor (the caller)
-- and no message.
ALTER TABLE notifications DROP CONSTRAINT notifications_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_type_check
    CHECK (type IN ('mention', 'reply', 'direct_message', 'room_invite', 'message', 'security', 'call'));
