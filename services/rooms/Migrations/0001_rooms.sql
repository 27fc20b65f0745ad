-- Rooms, who is in them and with which role, and the rules around them.

CREATE TABLE rooms (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    description text,
    type text NOT NULL CHECK (type IN ('public', 'private', 'direct')),
    -- bcrypt; only public rooms carry one.
    password_hash text,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    last_message_at timestamptz,
    member_count integer NOT NULL DEFAULT 0,
    -- The two user ids of a direct room, smaller first: one direct room per pair.
    direct_pair text UNIQUE
);
CREATE INDEX rooms_public_by_name ON rooms (lower(name), id) WHERE type = 'public';

CREATE TABLE memberships (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at timestamptz NOT NULL,
    -- Muted: until `muted_until`, or until unmuted when it is null.
    muted boolean NOT NULL DEFAULT false,
    muted_until timestamptz,
    -- null: the room type's default (mentions in group rooms, all in direct rooms).
    notification_level text CHECK (notification_level IN ('all', 'mentions', 'muted')),
    unread_count integer NOT NULL DEFAULT 0,
    last_read_message_id uuid,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE UNIQUE INDEX memberships_one_owner ON memberships (room_id) WHERE role = 'owner';

CREATE TABLE bans (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    banned_by uuid NOT NULL,
    reason text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE invites (
    code text PRIMARY KEY,
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    -- null: unlimited.
    max_uses integer CHECK (max_uses > 0),
    uses integer NOT NULL DEFAULT 0,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX invites_by_room ON invites (room_id, created_at);

CREATE TABLE blocks (
    blocker_id uuid NOT NULL,
    blocked_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks (blocked_id);
