// The settings page's "Password" sub-section: the current password and a new one (POST
// /auth/password); the user's other sessions end, and the sessions list is reloaded.
import { t } from "../../i18n/i18n";
import { field, h, whileBusy } from "../dom";
import { passwordInput, showStepUpError, statusLine, subSection, type Context } from "./common";

export function passwordSection(context: Context): HTMLElement {
  const current = passwordInput("current-password");
  const next = passwordInput("new-password");
  next.setAttribute("minlength", "8");
  const fields = { password: field(t("settings.currentPassword"), current), newPassword: field(t("settings.password.new"), next) };
  const feedback = statusLine();
  const submit = h("button", { type: "submit", className: "primary" }, t("settings.password.submit"));
  const form = h(
    "form",
    { className: "settings-form", "aria-label": t("settings.password.form"), novalidate: true },
    fields.password.wrapper,
    fields.newPassword.wrapper,
    h("p", { className: "hint" }, t("settings.password.hint")),
    feedback.element,
    h("div", { className: "settings-actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.clear();
    fields.password.showError(current.value ? null : t("settings.passwordRequired"));
    fields.newPassword.showError(next.value ? null : t("settings.password.newRequired"));
    if (!current.value || !next.value) return;
    await whileBusy(
      submit,
      async () => {
        await context.stepUp.post("/auth/password", { current_password: current.value, new_password: next.value });
        current.value = "";
        next.value = "";
        feedback.say(t("settings.password.changed"));
        context.refreshSessions();
        context.deps.onOtherSessionsEnded?.();
      },
      (error) => void showStepUpError(context, error, fields, feedback),
    );
  });
  return subSection(t("settings.password.title"), form);
}
