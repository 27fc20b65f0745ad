-- Invitations to play, posted in a room. An invitation is pending until answered or until
-- expires_at (reads count a pending one past it as expired); accepting it starts its match.
CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    game text NOT NULL CHECK (game IN ('pong')),
    inviter_id uuid NOT NULL,
    -- Null: anyone else in the room may accept.
    invitee_id uuid,
    status text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    responded_at timestamptz,
    match_id uuid
);
-- A room's open invitations, and an inviter's (one pending at a time per room).
CREATE INDEX invitations_pending ON invitations (room_id, inviter_id, expires_at) WHERE status = 'pending';

-- Matches: who plays which side, the score, and how it ended. A match is played in the memory of
-- the instance that started it; the row holds it from start to result.
CREATE TABLE matches (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    game text NOT NULL CHECK (game IN ('pong')),
    invitation_id uuid NOT NULL UNIQUE REFERENCES invitations (id),
    left_id uuid NOT NULL,
    right_id uuid NOT NULL,
    seed bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('playing', 'won', 'forfeited', 'abandoned')),
    left_score int NOT NULL DEFAULT 0,
    right_score int NOT NULL DEFAULT 0,
    winner_id uuid,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    CHECK ((status = 'playing') = (ended_at IS NULL))
);
-- A room's matches being played, and the finished ones its leaderboard counts.
CREATE INDEX matches_by_room ON matches (room_id, status);
-- Whether a player is in a match already.
CREATE INDEX matches_playing_left ON matches (left_id) WHERE status = 'playing';
CREATE INDEX matches_playing_right ON matches (right_id) WHERE status = 'playing';
