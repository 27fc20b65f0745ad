// The settings that belong to this browser, not to the account (issue 17, the settings page):
// theme, font size, language, desktop notifications and whether calls always go through the
// TURN relay, kept in localStorage as one JSON object
// under `parley.preferences`. `applyPreferences` puts the theme and font size on <html> as data
// attributes (the Content-Security-Policy forbids style attributes; styles.css reads them).
import { languages, preferredLanguage } from "../i18n/i18n";

export type Theme = "system" | "light" | "dark";
export type FontSize = "small" | "medium" | "large" | "larger";

export interface Preferences {
  theme: Theme;
  fontSize: FontSize;
  /// A code from `languages` in i18n.ts, or null: the browser's language.
  language: string | null;
  desktopNotifications: boolean;
  /// Calls' media only through the TURN server, never directly: the other end never learns
  /// this browser's addresses (as Signal's "Always relay calls").
  relayCalls: boolean;
}

export const preferencesKey = "parley.preferences";
export const themes: readonly Theme[] = ["system", "light", "dark"];
export const fontSizes: readonly FontSize[] = ["small", "medium", "large", "larger"];

export function defaultPreferences(): Preferences {
  return { theme: "system", fontSize: "medium", language: null, desktopNotifications: false, relayCalls: false };
}

/// What may hold the preferences: localStorage, or a stand-in in tests.
export type PreferenceStorage = Pick<Storage, "getItem" | "setItem">;

function browserStorage(): PreferenceStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage switched off: reading localStorage itself throws
  }
}

/// The stored preferences; each missing or unusable value (or the whole entry) is the default.
export function loadPreferences(storage: PreferenceStorage | null = browserStorage()): Preferences {
  const preferences = defaultPreferences();
  let stored: unknown = null;
  try {
    const text = storage?.getItem(preferencesKey);
    stored = text ? JSON.parse(text) : null;
  } catch {
    return preferences;
  }
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return preferences;
  const values = stored as Record<string, unknown>;
  if (themes.includes(values.theme as Theme)) preferences.theme = values.theme as Theme;
  if (fontSizes.includes(values.fontSize as FontSize)) preferences.fontSize = values.fontSize as FontSize;
  if (typeof values.language === "string" && languages.some((entry) => entry.code === values.language)) preferences.language = values.language;
  if (typeof values.desktopNotifications === "boolean") preferences.desktopNotifications = values.desktopNotifications;
  if (typeof values.relayCalls === "boolean") preferences.relayCalls = values.relayCalls;
  return preferences;
}

/// Stores the preferences; false when the browser would not keep them (storage off or full).
export function savePreferences(preferences: Preferences, storage: PreferenceStorage | null = browserStorage()): boolean {
  if (!storage) return false;
  const { theme, fontSize, language, desktopNotifications, relayCalls } = preferences;
  try {
    storage.setItem(preferencesKey, JSON.stringify({ theme, fontSize, language, desktopNotifications, relayCalls }));
    return true;
  } catch {
    return false;
  }
}

/// The language the UI should be in: the chosen one, else the first of the browser's the app has.
export function uiLanguage(preferences: Preferences, browserLanguages: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages ?? []): string {
  return preferences.language ?? preferredLanguage(browserLanguages);
}

/// The theme to show: "system" is whatever the system's colour scheme is now.
export function resolvedTheme(theme: Theme, systemIsDark: boolean): "light" | "dark" {
  return theme === "system" ? (systemIsDark ? "dark" : "light") : theme;
}

// What was applied last, so a change of the system's colour scheme is followed while "system" is
// the choice (one listener per media query, however often preferences are applied).
let applied: { preferences: Preferences; root: HTMLElement; darkQuery: MediaQueryList | null } | null = null;
const listenedTo = new WeakSet<MediaQueryList>();

function systemDarkQuery(): MediaQueryList | null {
  return typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
}

/// Sets `<html data-theme="light|dark">` and `<html data-font-size>`; with the theme "system"
/// data-theme keeps following the system's colour scheme until other preferences are applied.
export function applyPreferences(
  preferences: Preferences,
  root: HTMLElement = document.documentElement,
  darkQuery: MediaQueryList | null = systemDarkQuery(),
): void {
  applied = { preferences: { ...preferences }, root, darkQuery };
  root.dataset.theme = resolvedTheme(preferences.theme, darkQuery?.matches ?? false);
  root.dataset.fontSize = preferences.fontSize;
  if (darkQuery && !listenedTo.has(darkQuery)) {
    listenedTo.add(darkQuery);
    darkQuery.addEventListener("change", () => {
      if (applied && applied.darkQuery === darkQuery && applied.preferences.theme === "system") {
        applied.root.dataset.theme = resolvedTheme("system", darkQuery.matches);
      }
    });
  }
}

/// The usual pair for the settings page: store the preferences and show them at once.
export const browserPreferences = {
  get: (): Preferences => loadPreferences(),
  set(preferences: Preferences): void {
    savePreferences(preferences);
    applyPreferences(preferences);
  },
};
