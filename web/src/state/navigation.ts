// Moving between rooms by keyboard: the order the sidebar shows them in, the next or previous
// room (or unread room) from the current one, and the quick switcher's matching.
import type { Room } from "../api/types";

const sectionOrder: Room["type"][] = ["public", "private", "direct"];

/// Rooms as the sidebar lists them: by section (public, private, direct), each in the list's order.
export function sidebarOrder(rooms: Room[]): Room[] {
  return sectionOrder.flatMap((type) => rooms.filter((room) => room.type === type));
}

/// The room `step` (1 or -1) away from `currentId` in `order`, wrapping around; only unread rooms
/// when `unreadOnly`. Null when there is none to go to.
export function adjacentRoom(order: Room[], currentId: string | null, step: 1 | -1, unreadOnly: boolean): Room | null {
  const index = order.findIndex((room) => room.id === currentId);
  for (let offset = 1; offset <= order.length; offset += 1) {
    const start = index < 0 ? (step === 1 ? -1 : 0) : index;
    const candidate = order[(((start + step * offset) % order.length) + order.length) % order.length];
    if (candidate.id === currentId) continue;
    if (!unreadOnly || (candidate.unread_count ?? 0) > 0) return candidate;
  }
  return null;
}

/// Names matching what was typed in the quick switcher, best first: a name starting with it,
/// then a word of it starting with it, then containing it; case and accents ignored.
export function matchNames<T>(items: T[], name: (item: T) => string, query: string): T[] {
  const wanted = fold(query.trim());
  if (!wanted) return items;
  const scored: [number, T][] = [];
  for (const item of items) {
    const text = fold(name(item));
    const score = text.startsWith(wanted) ? 0 : text.split(/[\s\-_.]+/).some((word) => word.startsWith(wanted)) ? 1 : text.includes(wanted) ? 2 : -1;
    if (score >= 0) scored.push([score, item]);
  }
  return scored.sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}
