import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyPreferences,
  defaultPreferences,
  loadPreferences,
  preferencesKey,
  resolvedTheme,
  savePreferences,
  uiLanguage,
  type PreferenceStorage,
} from "../src/state/preferences";
import { deviceName, relativeTime } from "../src/ui/settings/sessions";

/// localStorage's two calls over a Map; `full` makes every write throw, as a full quota does.
function memoryStorage(initial: Record<string, string> = {}, full = false): PreferenceStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (full) throw new Error("QuotaExceededError");
      items.set(key, value);
    },
  };
}

test("nothing stored, or no storage at all, gives the defaults", () => {
  assert.deepEqual(defaultPreferences(), { theme: "system", fontSize: "medium", language: null, desktopNotifications: false, relayCalls: false });
  assert.deepEqual(loadPreferences(memoryStorage()), defaultPreferences());
  assert.deepEqual(loadPreferences(null), defaultPreferences());
});

test("saved preferences load back as they were", () => {
  const storage = memoryStorage();
  const chosen = { theme: "dark" as const, fontSize: "large" as const, language: "de", desktopNotifications: true, relayCalls: true };
  assert.equal(savePreferences(chosen, storage), true);
  assert.deepEqual(JSON.parse(storage.items.get(preferencesKey)!), chosen);
  assert.deepEqual(loadPreferences(storage), chosen);
  assert.deepEqual(loadPreferences(storage), loadPreferences(storage), "a fresh object each time");
  assert.notEqual(loadPreferences(storage), loadPreferences(storage));
});

test("bad stored JSON or a stored value of the wrong kind gives the defaults", () => {
  for (const text of ["{not json", "null", "42", '"dark"', "[1,2]", ""]) {
    assert.deepEqual(loadPreferences(memoryStorage({ [preferencesKey]: text })), defaultPreferences(), text);
  }
  const throwing: PreferenceStorage = {
    getItem: () => {
      throw new Error("SecurityError");
    },
    setItem: () => {},
  };
  assert.deepEqual(loadPreferences(throwing), defaultPreferences());
});

test("each unusable value falls back on its own default and the others are kept", () => {
  const stored = JSON.stringify({ theme: "purple", fontSize: "large", language: "xx", desktopNotifications: "yes" });
  assert.deepEqual(loadPreferences(memoryStorage({ [preferencesKey]: stored })), { ...defaultPreferences(), fontSize: "large" });
  const partial = JSON.stringify({ theme: "light" });
  assert.deepEqual(loadPreferences(memoryStorage({ [preferencesKey]: partial })), { ...defaultPreferences(), theme: "light" });
  const unknownKeys = JSON.stringify({ language: "de", extra: { nested: true } });
  assert.deepEqual(loadPreferences(memoryStorage({ [preferencesKey]: unknownKeys })), { ...defaultPreferences(), language: "de" });
});

test("a storage that refuses to keep them says so", () => {
  assert.equal(savePreferences(defaultPreferences(), memoryStorage({}, true)), false);
  assert.equal(savePreferences(defaultPreferences(), null), false);
});

test("the UI language is the chosen one, else the browser's first that the app has", () => {
  assert.equal(uiLanguage({ ...defaultPreferences(), language: "de" }, ["en-US"]), "de");
  assert.equal(uiLanguage(defaultPreferences(), ["fr-FR", "de-AT", "en"]), "de");
  assert.equal(uiLanguage(defaultPreferences(), ["fr"]), "en");
});

/// A stand-in for matchMedia("(prefers-color-scheme: dark)") whose answer the test changes.
function fakeDarkQuery(matches: boolean) {
  const listeners: (() => void)[] = [];
  const query = {
    matches,
    addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
    change(next: boolean) {
      query.matches = next;
      for (const listener of listeners) listener();
    },
    listeners,
  };
  return query;
}

test("applying sets data-theme and data-font-size, and 'system' follows the system's scheme while chosen", () => {
  assert.equal(resolvedTheme("system", true), "dark");
  assert.equal(resolvedTheme("light", true), "light");
  const root = { dataset: {} as Record<string, string> };
  const query = fakeDarkQuery(false);
  const apply = (preferences: ReturnType<typeof defaultPreferences>) => applyPreferences(preferences, root as unknown as HTMLElement, query as unknown as MediaQueryList);

  apply(defaultPreferences());
  assert.deepEqual(root.dataset, { theme: "light", fontSize: "medium" });
  query.change(true);
  assert.equal(root.dataset.theme, "dark", "follows the system");

  apply({ ...defaultPreferences(), theme: "light", fontSize: "large" });
  assert.deepEqual(root.dataset, { theme: "light", fontSize: "large" });
  query.change(false);
  query.change(true);
  assert.equal(root.dataset.theme, "light", "a chosen theme stays");

  apply({ ...defaultPreferences(), theme: "system" });
  assert.equal(root.dataset.theme, "dark");
  query.change(false);
  assert.equal(root.dataset.theme, "light");
  assert.equal(query.listeners.length, 1, "one listener however often preferences are applied");
});

// The settings page's two pure helpers (ui/settings/sessions.ts), tested here with the rest of it.

test("a session's user agent is shortened to browser and system", () => {
  const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36";
  assert.equal(deviceName(chrome), "Chrome on Linux");
  assert.equal(deviceName("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"), "Edge on Windows");
  assert.equal(deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"), "Safari on iOS");
  assert.equal(deviceName("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0"), "Firefox on macOS");
  assert.equal(deviceName("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"), "Chrome on Android");
  assert.equal(deviceName("Python-urllib/3.11"), "Python-urllib");
  assert.equal(deviceName(null), null);
  assert.equal(deviceName("  "), null);
});

test("last use reads as relative time up to a week", () => {
  const now = new Date("2026-12-06T12:00:00.000Z");
  assert.equal(relativeTime(new Date("2026-12-06T11:59:30.000Z"), now), "just now");
  assert.equal(relativeTime(new Date("2026-12-06T11:50:00.000Z"), now), "10 minutes ago");
  assert.equal(relativeTime(new Date("2026-12-06T07:00:00.000Z"), now), "5 hours ago");
  assert.equal(relativeTime(new Date("2026-12-05T12:00:00.000Z"), now), "yesterday");
  assert.ok(/2026/.test(relativeTime(new Date("2026-11-01T12:00:00.000Z"), now)), "a date beyond a week");
});
