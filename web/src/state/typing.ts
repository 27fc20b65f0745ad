// Who is typing where. The server says when typing starts and stops (and stops it itself after
// 5 s); an indicator also fades on screen when no word came for `expiryMs`, so a lost stop
// never leaves it up.
import { list, t } from "../i18n/i18n";

export const expiryMs = 6_000;

export type TypingState = Map<string, Map<string, number>>;

export function setTyping(state: TypingState, roomId: string, userId: string, typing: boolean, now: number): TypingState {
  const next = new Map(state);
  const room = new Map(next.get(roomId) ?? []);
  if (typing) room.set(userId, now + expiryMs);
  else room.delete(userId);
  next.set(roomId, room);
  return next;
}

export function typists(state: TypingState, roomId: string, now: number): string[] {
  return [...(state.get(roomId) ?? new Map<string, number>()).entries()].filter(([, until]) => until > now).map(([userId]) => userId);
}

/// The text of status "Typing": empty when nobody types.
export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length > 2) return t("typing.several");
  return t("typing.people", { names: list(names), count: names.length });
}
