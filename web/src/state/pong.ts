// Pong as the client sees it: what the keys ask of the paddle, where to draw the ball between
// two of the server's states, the score line, and who may answer an invitation. Pure.
import type { GameInvitation, GameMatch, PaddleDirection, PongState } from "../api/types";

/// Up/Down or W/S held now: the paddle's direction (both, or neither: it stays).
export function directionFor(held: ReadonlySet<string>): PaddleDirection {
  const up = held.has("ArrowUp") || held.has("w") || held.has("W");
  const down = held.has("ArrowDown") || held.has("s") || held.has("S");
  return up === down ? "none" : up ? "up" : "down";
}

/// The keys that steer a paddle.
export const paddleKeys: ReadonlySet<string> = new Set(["ArrowUp", "ArrowDown", "w", "W", "s", "S"]);

/// The ball `elapsedMs` after `state` arrived: carried on along its velocity while the ball is
/// in play (for at most a tenth of a second, the gap between frames being at most a thirtieth),
/// bouncing off the top and bottom walls as the server's does. Frames come 30 times a second
/// and the screen redraws 60: this is what fills in between.
export function ballAt(state: PongState, elapsedMs: number): { x: number; y: number } {
  if (state.phase !== "playing") return { x: state.ball.x, y: state.ball.y };
  const seconds = Math.min(Math.max(elapsedMs, 0), 100) / 1000;
  const radius = state.court.ball_size / 2;
  const top = radius;
  const bottom = state.court.height - radius;
  let y = state.ball.y + state.ball.vy * seconds;
  if (y < top) y = 2 * top - y;
  if (y > bottom) y = 2 * bottom - y;
  return { x: state.ball.x + state.ball.vx * seconds, y };
}

/// "Alice 3 – 1 Bob": the left player first, as on the court.
export function scoreLine(names: { left: string; right: string }, score: { left: number; right: number }): string {
  return `${names.left} ${score.left} – ${score.right} ${names.right}`;
}

/// Whether `userId` may accept (or decline) the invitation: it is pending, and names them or
/// the whole room, and they did not send it.
export function canAnswer(invitation: GameInvitation, userId: string, now: Date): boolean {
  return (
    invitation.status === "pending" &&
    Date.parse(invitation.expires_at) > now.getTime() &&
    invitation.inviter_id !== userId &&
    (invitation.invitee_id === null || invitation.invitee_id === userId)
  );
}

/// The invitation's status as it stands now: a pending one past its time has expired.
export function invitationStatus(invitation: GameInvitation, now: Date): GameInvitation["status"] {
  return invitation.status === "pending" && Date.parse(invitation.expires_at) <= now.getTime() ? "expired" : invitation.status;
}

/// The side `userId` plays, or null for a spectator.
export function sideOf(match: GameMatch, userId: string): "left" | "right" | null {
  return match.players.left === userId ? "left" : match.players.right === userId ? "right" : null;
}
