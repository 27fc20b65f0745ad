// Times for "Schedule message": its `<input type="datetime-local">` shows and takes this
// browser's local time without a zone ("2026-12-08T09:30:00"), and what it offers first.

/// The local time of `date` as the input's value, to the second.
export function localInputValue(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/// The time "Send later" offers first: the first full hour at least an hour away.
export function inAnHour(now = new Date()): Date {
  const next = new Date(now.getTime() + 60 * 60_000);
  if (next.getMinutes() !== 0 || next.getSeconds() !== 0 || next.getMilliseconds() !== 0) next.setHours(next.getHours() + 1, 0, 0, 0);
  return next;
}
