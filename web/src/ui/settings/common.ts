// What the settings page's sub-sections share: the `Context` each is built with, the
// sub-section frame, the status line under a form, the password input, and how a refused step
// that checked the password (two-factor, password change) is shown without signing out when
// only the password was wrong.
import { ApiError, describeError, type ApiClient } from "../../api/client";
import type { User } from "../../api/types";
import { t } from "../../i18n/i18n";
import { field, h } from "../dom";
import type { SettingsDeps } from "./settings-view";

/// What the sub-sections share: the deps, the user as it is now, and a way to reload sessions.
export interface Context {
  deps: SettingsDeps;
  user: User;
  /// For the steps that check the password: its 401s do not sign out.
  stepUp: ApiClient;
  refreshSessions(): void;
}

export function subSection(title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { className: "settings-section" }, h("h2", {}, title), ...children);
}

/// A line that says how the last action went: `role=status` (polite) for news, `alert` for errors.
export function statusLine(): { element: HTMLElement; say(message: string): void; fail(message: string): void; clear(): void } {
  const element = h("p", { className: "settings-status", role: "status" });
  const error = h("p", { className: "form-error", role: "alert" });
  const both = h("div", { className: "settings-feedback" }, element, error);
  return {
    element: both,
    say(message) {
      error.textContent = "";
      element.textContent = message;
    },
    fail(message) {
      element.textContent = "";
      error.textContent = message;
    },
    clear() {
      element.textContent = "";
      error.textContent = "";
    },
  };
}

export type Field = ReturnType<typeof field>;

export function passwordInput(autocomplete: "current-password" | "new-password"): HTMLInputElement {
  return h("input", { type: "password", autocomplete, required: true });
}

/// Whether a refusal of a step that checked the password means the password was wrong. A 401
/// `unauthorized` is also what an ended session gets: /auth/me asks (on the app's client, whose
/// 401 signs out, which is then right).
async function wrongPassword(context: Context, error: unknown): Promise<boolean> {
  if (!(error instanceof ApiError)) return false;
  if (error.code === "wrong_password") return true;
  if (error.status !== 401 || error.code !== "unauthorized") return false;
  try {
    await context.deps.api.get("/auth/me");
    return true;
  } catch {
    return false;
  }
}

/// Shows a refused password step where it belongs: the code, the password, or the whole form.
export async function showStepUpError(context: Context, error: unknown, fields: { code?: Field; password: Field; newPassword?: Field }, feedback: ReturnType<typeof statusLine>): Promise<void> {
  if (error instanceof ApiError && error.code === "invalid_totp" && fields.code) {
    fields.code.showError(t("settings.twoFactor.codeWrong"));
  } else if (await wrongPassword(context, error)) {
    fields.password.showError(t("settings.passwordWrong"));
  } else if (error instanceof ApiError && error.field === "code" && fields.code) {
    fields.code.showError(describeError(error));
  } else if (error instanceof ApiError && (error.field === "password" || error.field === "current_password")) {
    fields.password.showError(describeError(error));
  } else if (error instanceof ApiError && error.field === "new_password" && fields.newPassword) {
    fields.newPassword.showError(describeError(error));
  } else if (!(error instanceof ApiError && error.status === 401)) {
    feedback.fail(describeError(error));
  }
}
