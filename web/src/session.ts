// The signed-in session, kept per browser tab (sessionStorage): a new tab signs in again, a
// reload does not. A token past its expiry is dropped on reading.
import type { AuthReply, User } from "./api/types";

const key = "parley.session";

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

export function loadSession(now: Date = new Date()): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key) ?? "null") as Session | null;
    if (!stored || !stored.token || new Date(stored.expiresAt) <= now) return null;
    return stored;
  } catch {
    return null;
  }
}

export function saveSession(reply: AuthReply): Session {
  const session = { token: reply.token, expiresAt: reply.expires_at, user: reply.user };
  sessionStorage.setItem(key, JSON.stringify(session));
  return session;
}

export function updateSessionUser(session: Session, user: User): Session {
  const updated = { ...session, user };
  sessionStorage.setItem(key, JSON.stringify(updated));
  return updated;
}

export function clearSession(): void {
  sessionStorage.removeItem(key);
}
