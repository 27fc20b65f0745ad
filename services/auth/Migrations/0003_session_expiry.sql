-- Expired sessions are deleted (UseCases/ExpiredSessionSweeper): the sweep finds them by expiry.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
