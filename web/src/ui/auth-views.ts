// Signing in, the two-factor step, and creating an account (UI.md "Signing in").
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { AuthReply } from "../api/types";
import { t } from "../i18n/i18n";
import { field, h, replaceChildren, showOnField, whileBusy } from "./dom";

export function signInView(api: ApiClient, onSignedIn: (reply: AuthReply) => void): HTMLElement {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const usernameField = field(t("auth.username"), username);
  const passwordField = field(t("auth.password"), password);
  const formError = h("p", { className: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "primary" }, t("auth.signIn"));
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, t("auth.signInTitle")),
    usernameField.wrapper,
    passwordField.wrapper,
    formError,
    submit,
    h("p", {}, t("auth.newHere"), " ", h("a", { href: "#/register" }, t("auth.createAccount"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.textContent = "";
    usernameField.showError(username.value.trim() ? null : t("auth.enterUsername"));
    passwordField.showError(password.value ? null : t("auth.enterPassword"));
    if (!username.value.trim() || !password.value) return;
    await whileBusy(
      submit,
      async () => onSignedIn(await api.post<AuthReply>("/auth/login", { username: username.value.trim(), password: password.value })),
      (error) => {
        if (error instanceof ApiError && error.code === "totp_required") {
          replaceChildren(container, twoFactorStep(api, username.value.trim(), password.value, onSignedIn));
        } else {
          formError.textContent = error instanceof ApiError && error.status === 401 ? t("auth.wrongCredentials") : describeError(error);
        }
      },
    );
  });
  const container = h("main", { className: "auth-page" }, form);
  queueMicrotask(() => username.focus());
  return container;
}

function twoFactorStep(api: ApiClient, username: string, password: string, onSignedIn: (reply: AuthReply) => void): HTMLElement {
  const code = h("input", { name: "totp", autocomplete: "one-time-code", inputmode: "text", required: true });
  const codeField = field(t("auth.code"), code);
  const submit = h("button", { type: "submit", className: "primary" }, t("auth.verify"));
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, t("auth.twoFactorTitle")),
    h("p", {}, t("auth.twoFactorHelp")),
    codeField.wrapper,
    submit,
    h("p", {}, h("a", { href: "#/login", onclick: () => location.reload() }, t("auth.signInAsOther"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = code.value.trim();
    codeField.showError(value ? null : t("auth.enterCode"));
    if (!value) return;
    await whileBusy(
      submit,
      async () => onSignedIn(await api.post<AuthReply>("/auth/login", { username, password, totp_code: value })),
      (error) => codeField.showError(error instanceof ApiError && error.status === 401 ? t("auth.codeInvalid") : describeError(error)),
    );
  });
  queueMicrotask(() => code.focus());
  return form;
}

export function registerView(api: ApiClient, onSignedIn: (reply: AuthReply) => void): HTMLElement {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false", maxlength: 20 });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const displayName = h("input", { name: "display_name", autocomplete: "name", maxlength: 50 });
  const fields = { username: field(t("auth.username"), username), password: field(t("auth.password"), password), display_name: field(t("auth.displayName"), displayName) };
  const formError = h("p", { className: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "primary" }, t("auth.createAccount"));
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, t("auth.registerTitle")),
    fields.username.wrapper,
    fields.password.wrapper,
    fields.display_name.wrapper,
    formError,
    submit,
    h("p", {}, t("auth.haveAccount"), " ", h("a", { href: "#/login" }, t("auth.signIn"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.textContent = "";
    for (const entry of Object.values(fields)) entry.showError(null);
    const body: Record<string, string> = { username: username.value.trim(), password: password.value };
    if (displayName.value.trim()) body.display_name = displayName.value.trim();
    await whileBusy(
      submit,
      async () => onSignedIn(await api.post<AuthReply>("/auth/register", body)),
      (error) => {
        if (showOnField(error, fields)) return;
        if (error instanceof ApiError && error.code === "username_taken") fields.username.showError(describeError(error));
        else formError.textContent = describeError(error);
      },
    );
  });
  queueMicrotask(() => username.focus());
  return h("main", { className: "auth-page" }, form);
}
