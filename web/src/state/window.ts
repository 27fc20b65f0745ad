// Which slice of a long timeline is in the page. Only `size` messages are in the DOM at once;
// scrolling near either end moves the slice by `step`, so a room with 10,000 loaded messages
// costs no more to lay out than one with a hundred.
export interface Range {
  start: number;
  end: number;
}

export const windowSize = 120;
export const windowStep = 40;

/// The newest messages.
export function newestRange(total: number, size = windowSize): Range {
  return { start: Math.max(0, total - size), end: total };
}

/// Moved towards older messages; unchanged when the slice starts at the first one.
export function olderRange(range: Range, total: number, size = windowSize, step = windowStep): Range {
  const start = Math.max(0, range.start - step);
  return { start, end: Math.min(total, start + size) };
}

/// Moved towards newer messages; unchanged when the slice ends at the last one.
export function newerRange(range: Range, total: number, size = windowSize, step = windowStep): Range {
  const end = Math.min(total, range.end + step);
  return { start: Math.max(0, end - size), end };
}

/// The same messages after `added` were put before them (an older page arrived).
export function shifted(range: Range, added: number): Range {
  return { start: range.start + added, end: range.end + added };
}

/// A slice around one message (a deep link), that message in its middle.
export function rangeAround(index: number, total: number, size = windowSize): Range {
  const start = Math.max(0, Math.min(total - size, index - Math.floor(size / 2)));
  return { start: Math.max(0, start), end: Math.min(total, Math.max(0, start) + size) };
}
