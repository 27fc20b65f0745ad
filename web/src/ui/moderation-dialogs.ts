// The small dialogs of moderation: how long to mute someone, why to ban them, why a message is
// reported. Each resolves what was entered, or null when closed without it.
import { describeError } from "../api/client";
import { t } from "../i18n/i18n";
import type { MessageKey } from "../i18n/en";
import { openDialog } from "./dialog";
import { field, h, whileBusy } from "./dom";

const muteDurations: [MessageKey, number][] = [
  ["moderation.mute15m", 900],
  ["moderation.mute1h", 3600],
  ["moderation.mute8h", 28_800],
  ["moderation.mute1d", 86_400],
  ["moderation.mute1w", 604_800],
];

/// Asks for a mute's duration and carries it out with `mute(seconds)`; a refusal shows in the dialog.
export function muteDialog(name: string, mute: (seconds: number) => Promise<void>): void {
  const duration = h("select", {}, muteDurations.map(([key, seconds]) => h("option", { value: String(seconds), selected: seconds === 3600 }, t(key))));
  formDialog(t("moderation.muteTitle", { name }), field(t("moderation.duration"), duration).wrapper, t("moderation.mute"), () => mute(Number(duration.value)));
}

/// Asks for a ban's reason (optional) and carries it out with `ban(reason)`.
export function banDialog(name: string, ban: (reason: string | null) => Promise<void>): void {
  const reason = h("textarea", { rows: 2, maxlength: 500 });
  formDialog(t("moderation.banTitle", { name }), field(t("moderation.reason"), reason).wrapper, t("moderation.ban"), () => ban(reason.value.trim() || null));
}

/// Asks why a message is reported and sends it with `report(reason)`.
export function reportDialog(report: (reason: string) => Promise<void>, done: () => void): void {
  const reason = h("textarea", { rows: 3, maxlength: 1000, required: true });
  const reasonField = field(t("moderation.reason"), reason);
  formDialog(
    t("moderation.reportTitle"),
    h("div", {}, h("p", { className: "hint" }, t("moderation.reportHint")), reasonField.wrapper),
    t("moderation.report"),
    async () => {
      if (!reason.value.trim()) {
        reasonField.showError(t("moderation.reasonNeeded"));
        throw null;
      }
      await report(reason.value.trim());
      done();
    },
  );
}

/// A dialog holding `content` and one submit button; it closes when `submit` succeeds and shows
/// the API's reason when it fails (a thrown null: the form showed its own error).
function formDialog(title: string, content: HTMLElement, action: string, submit: () => Promise<void>): void {
  const dialog = openDialog(title);
  const button = h("button", { type: "submit", className: "primary" }, action);
  const error = h("p", { className: "form-error", role: "alert" });
  const form = h("form", {}, content, error, h("div", { className: "dialog-actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    void whileBusy(
      button,
      async () => {
        await submit();
        dialog.close();
      },
      (failure) => {
        if (failure !== null) error.textContent = describeError(failure);
      },
    );
  });
  dialog.body.append(form);
}
