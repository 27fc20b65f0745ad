-- Calls: who called which room, how it went (ringing, active, then ended, missed or declined),
-- and when. A room has at most one live call (ringing or active) at a time.
CREATE TABLE calls (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('voice', 'video')),
    started_by uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('ringing', 'active', 'ended', 'missed', 'declined')),
    created_at timestamptz NOT NULL,
    -- Ringing stops here for whoever has not answered (45 s after the start).
    ring_until timestamptz NOT NULL,
    answered_at timestamptz,
    ended_at timestamptz,
    CHECK ((status IN ('ringing', 'active')) = (ended_at IS NULL))
);
CREATE UNIQUE INDEX calls_one_live_per_room ON calls (room_id) WHERE status IN ('ringing', 'active');
-- The ring timeout's sweep.
CREATE INDEX calls_ringing ON calls (ring_until) WHERE status IN ('ringing', 'active');

-- Everyone a call involves: the caller (joined from the start) and whom it rang. `session_id`
-- is the socket session that answered (signals go to that tab only).
CREATE TABLE call_participants (
    call_id uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    state text NOT NULL CHECK (state IN ('ringing', 'joined', 'declined', 'left', 'missed')),
    session_id text,
    joined_at timestamptz,
    left_at timestamptz,
    PRIMARY KEY (call_id, user_id)
);
