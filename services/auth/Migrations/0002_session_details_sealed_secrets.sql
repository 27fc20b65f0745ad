-- Sessions as their owner lists them (GET /auth/sessions): the User-Agent that signed in, newest
-- first per user. When a session was last used is kept in Redis (ServiceKit's SessionActivity).
ALTER TABLE sessions ADD COLUMN user_agent text;
CREATE INDEX sessions_by_user ON sessions (user_id, created_at DESC);

-- From now on `users.totp_secret` and `signing_keys.private_key` hold values sealed with AES-GCM
-- (`sealed:<kid>:<base64>`, UseCases/SecretResealing seals older rows at startup).
