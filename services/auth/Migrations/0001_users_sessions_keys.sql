-- Users: usernames are unique case-insensitively; `username_key` is the lower-cased form.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    username text NOT NULL,
    username_key text NOT NULL UNIQUE,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    avatar_url text,
    status text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'away', 'busy', 'offline')),
    status_message text,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    -- TOTP: the secret being set up until enabled; the last accepted time step makes a code single-use.
    totp_secret text,
    totp_enabled boolean NOT NULL DEFAULT false,
    totp_last_step bigint NOT NULL DEFAULT 0
);

-- Prefix search on username and display name (GET /users/search).
CREATE INDEX users_username_prefix ON users (username_key text_pattern_ops);
CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops);

CREATE TABLE recovery_codes (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- One row per login; logout sets revoked_at (and tells every service through Redis).
CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_revoked ON sessions (expires_at) WHERE revoked_at IS NOT NULL;

-- Ed25519 signing keys. The newest unretired key signs; every key not yet retired is published
-- in the JWKS so tokens signed before a rotation stay valid until they expire.
CREATE TABLE signing_keys (
    kid text PRIMARY KEY,
    private_key text NOT NULL, -- base64 raw Ed25519 private key
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);
