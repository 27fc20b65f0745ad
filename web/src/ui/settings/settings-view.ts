// The settings page, `#/settings` (UI.md "Search, notifications, settings"): the profile,
// two-factor authentication, the password, signed-in sessions, and this browser's appearance,
// language and desktop notifications (state/preferences.ts), and blocked people. One region
// "Settings" with a sub-section per subject; each sub-section has a file of its own beside this
// one, and common.ts holds what they share.
import { ApiClient } from "../../api/client";
import type { User } from "../../api/types";
import type { Preferences } from "../../state/preferences";
import { t } from "../../i18n/i18n";
import { h, uniqueId } from "../dom";
import { blockedSection } from "./blocked-people";
import { appearanceSection, callsSection, languageSection, notificationsSection } from "./browser-preferences";
import type { Context } from "./common";
import { passwordSection } from "./password";
import { profileSection } from "./profile";
import { sessionsSection } from "./sessions";
import { twoFactorSection } from "./two-factor";

export interface SettingsDeps {
  /// The app's client: a 401 on it means the session ended (it signs out).
  api: ApiClient;
  /// The current token. Steps that check the password (2FA, password change) call the API with
  /// a client of their own, because a wrong password is a 401 `unauthorized` too (auth's
  /// openapi.yaml `WrongPassword`) and must not sign out; /auth/me then tells the two apart.
  token(): string | null;
  /// The signed-in user, as known when the page opens.
  me: User;
  /// The profile was saved, or 2FA turned on or off: the user as it is now.
  onUserUpdated(user: User): void;
  /// This browser's preferences; `set` stores and applies them (`browserPreferences`).
  preferences: { get(): Preferences; set(preferences: Preferences): void };
  /// The language was changed here: `code` is the UI language to switch to (the chosen one, or
  /// the browser's when "Browser default" was chosen); the preference is already saved.
  onLanguageChanged(code: string): void;
  /// The user's other sessions were ended from here: "Sign out everywhere else", a password
  /// change, or turning 2FA on. The page says so itself; this is for anything else to refresh.
  onOtherSessionsEnded?(): void;
}

export function settingsView(deps: SettingsDeps): HTMLElement {
  const context: Context = {
    deps,
    user: { ...deps.me },
    stepUp: new ApiClient(deps.token, () => {}),
    refreshSessions: () => {},
  };
  const titleId = uniqueId("settings-title");
  return h(
    "section",
    { className: "page settings", role: "region", "aria-labelledby": titleId },
    h("h1", { id: titleId }, t("settings.title")),
    profileSection(context),
    twoFactorSection(context),
    passwordSection(context),
    sessionsSection(context),
    appearanceSection(context),
    languageSection(context),
    notificationsSection(context),
    callsSection(context),
    blockedSection(context),
  );
}
