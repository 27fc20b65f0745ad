// The settings page's "Two-factor authentication" sub-section: when off, turning it on (setup,
// the QR code and key, confirming with a code and the password, then the recovery codes to copy
// or download); when on, turning it off with a code and the password.
import { ApiError, describeError } from "../../api/client";
import type { User } from "../../api/types";
import { t } from "../../i18n/i18n";
import { field, h, replaceChildren, whileBusy } from "../dom";
import { qrSvg } from "../qr";
import { passwordInput, showStepUpError, statusLine, subSection, type Context, type Field } from "./common";

export function twoFactorSection(context: Context): HTMLElement {
  const body = h("div", { className: "settings-two-factor" }, h("p", { role: "status" }, t("common.loading")));
  const feedback = statusLine();

  const show = (enabled: boolean, news: string | null = null) => {
    if (context.user.totp_enabled !== enabled) {
      context.user = { ...context.user, totp_enabled: enabled };
      context.deps.onUserUpdated(context.user);
    }
    replaceChildren(body, enabled ? onView() : offView());
    if (news) feedback.say(news);
  };

  const offView = () => {
    const enable = h("button", { type: "button", className: "primary" }, t("settings.twoFactor.enable"));
    enable.addEventListener("click", () => {
      feedback.clear();
      void whileBusy(
        enable,
        async () => {
          const setup = await context.deps.api.post<{ secret: string; otpauth_uri: string }>("/auth/2fa/setup");
          replaceChildren(body, setupView(setup.secret, setup.otpauth_uri));
        },
        (error) => {
          if (error instanceof ApiError && error.code === "totp_already_enabled") show(true);
          else feedback.fail(describeError(error));
        },
      );
    });
    return h("div", {}, h("p", {}, t("settings.twoFactor.offText")), enable);
  };

  const setupView = (secret: string, uri: string) => {
    // The key in groups of four, drawn apart by CSS: its text stays one word to copy and read.
    const groups = secret.match(/.{1,4}/g) ?? [secret];
    const key = h("code", { className: "totp-secret", translate: "no" }, groups.map((group) => h("span", {}, group)));
    const copyKey = h("button", { type: "button", onclick: () => copyText(secret, feedback) }, t("settings.twoFactor.copyKey"));
    return codeAndPasswordForm({
      context,
      feedback,
      intro: [
        h("p", {}, t("settings.twoFactor.scan")),
        h("div", { className: "totp-qr" }, qrSvg(uri, t("settings.twoFactor.qr"))),
        h("p", { className: "totp-key" }, h("span", {}, t("settings.twoFactor.key") + " "), key, " ", copyKey),
      ],
      confirm: h("button", { type: "submit", className: "primary" }, t("settings.twoFactor.confirmEnable")),
      cancel: () => show(false),
      submit: async (code, password) => {
        const reply = await context.stepUp.post<{ recovery_codes: string[] }>("/auth/2fa/enable", { code, password });
        context.user = { ...context.user, totp_enabled: true };
        context.deps.onUserUpdated(context.user);
        replaceChildren(body, recoveryView(reply.recovery_codes));
        context.refreshSessions();
        context.deps.onOtherSessionsEnded?.();
      },
      // Enabled meanwhile (another tab): it is on, as asked.
      settled: (error) => {
        if (!(error instanceof ApiError && error.code === "totp_already_enabled")) return false;
        show(true);
        return true;
      },
    });
  };

  const recoveryView = (codes: string[]) => {
    const text = t("settings.twoFactor.fileHeader", { username: context.user.username }) + "\n\n" + codes.join("\n") + "\n";
    const download = () => {
      const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
      const link = h("a", { href: url, download: "parley-recovery-codes.txt", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    };
    const done = h("button", { type: "button", className: "primary", onclick: () => show(true) }, t("settings.twoFactor.done"));
    queueMicrotask(() => done.focus());
    return h(
      "div",
      { className: "recovery" },
      h("p", {}, h("strong", {}, t("settings.twoFactor.enabled")), " ", t("settings.twoFactor.othersEnded")),
      h("p", {}, t("settings.twoFactor.recoveryIntro")),
      h("ul", { className: "recovery-codes", "aria-label": t("settings.twoFactor.recoveryList"), translate: "no" }, codes.map((entry) => h("li", {}, h("code", {}, entry)))),
      h(
        "div",
        { className: "settings-actions" },
        h("button", { type: "button", onclick: () => copyText(codes.join("\n"), feedback) }, t("settings.twoFactor.copy")),
        h("button", { type: "button", onclick: download }, t("settings.twoFactor.download")),
        done,
      ),
    );
  };

  const onView = () => {
    const disable = h("button", { type: "button" }, t("settings.twoFactor.disable"));
    disable.addEventListener("click", () => {
      feedback.clear();
      replaceChildren(body, disableView());
    });
    return h("div", {}, h("p", {}, h("strong", {}, t("settings.twoFactor.enabled")), " ", t("settings.twoFactor.onText")), disable);
  };

  const disableView = () =>
    codeAndPasswordForm({
      context,
      feedback,
      intro: [h("p", {}, t("settings.twoFactor.disableIntro"))],
      // The confirmation carries the same name as the button that asked for it (UI.md names no other).
      confirm: h("button", { type: "submit", className: "danger" }, t("settings.twoFactor.disable")),
      cancel: () => show(true),
      submit: async (code, password) => {
        await context.stepUp.post("/auth/2fa/disable", { code, password });
        show(false, t("settings.twoFactor.disabled"));
      },
      // Disabled meanwhile (another tab): it is off, as asked.
      settled: (error) => {
        if (!(error instanceof ApiError && error.code === "totp_not_enabled")) return false;
        show(false, t("settings.twoFactor.disabled"));
        return true;
      },
    });

  const load = () => {
    context.deps.api.get<User>("/auth/me").then(
      (user) => {
        context.user = { ...context.user, ...user };
        replaceChildren(body, user.totp_enabled ? onView() : offView());
      },
      (error) => {
        const retry = h("button", { type: "button", onclick: load }, t("settings.retry"));
        replaceChildren(body, h("p", { className: "form-error", role: "alert" }, describeError(error)), retry);
      },
    );
  };
  load();
  return subSection(t("settings.twoFactor.title"), body, feedback.element);
}

function codeInput(): HTMLInputElement {
  return h("input", { autocomplete: "one-time-code", inputmode: "text", required: true, autocapitalize: "none", spellcheck: "false", maxlength: 20 });
}

/// Copies text, saying how it went on `feedback`.
function copyText(text: string, feedback: ReturnType<typeof statusLine>): void {
  const copied = navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
  copied.then(
    () => feedback.say(t("settings.copied")),
    () => feedback.fail(t("settings.copyFailed")),
  );
}

/// The form of enabling and disabling: `intro`, an authentication code and the current password,
/// `confirm` and Cancel. `submit` runs once both are typed (what is missing is said next to its
/// field); a failure that `settled` does not take care of is shown next to its field.
function codeAndPasswordForm(options: {
  context: Context;
  feedback: ReturnType<typeof statusLine>;
  intro: Node[];
  confirm: HTMLButtonElement;
  cancel(): void;
  submit(code: string, password: string): Promise<void>;
  settled(error: unknown): boolean;
}): HTMLFormElement {
  const { context, feedback, confirm } = options;
  const code = codeInput();
  const password = passwordInput("current-password");
  const fields: { code: Field; password: Field } = { code: field(t("settings.twoFactor.code"), code), password: field(t("settings.currentPassword"), password) };
  const cancel = h("button", { type: "button", onclick: () => options.cancel() }, t("common.cancel"));
  const form = h(
    "form",
    { className: "settings-form", novalidate: true },
    options.intro,
    fields.code.wrapper,
    fields.password.wrapper,
    h("div", { className: "settings-actions" }, confirm, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.clear();
    fields.code.showError(code.value.trim() ? null : t("settings.twoFactor.codeRequired"));
    fields.password.showError(password.value ? null : t("settings.passwordRequired"));
    if (!code.value.trim() || !password.value) return;
    await whileBusy(
      confirm,
      () => options.submit(code.value.trim(), password.value),
      (error) => {
        if (!options.settled(error)) void showStepUpError(context, error, fields, feedback);
      },
    );
  });
  queueMicrotask(() => code.focus());
  return form;
}
