// Signing in, the two-factor step, and creating an account (UI.md "Signing in").
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { AuthReply } from "../api/types";
import { field, h, replaceChildren, whileBusy } from "./dom";

export function signInView(api: ApiClient, onSignedIn: (reply: AuthReply) => void): HTMLElement {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const usernameField = field("Username", username);
  const passwordField = field("Password", password);
  const formError = h("p", { className: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "primary" }, "Sign in");
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, "Sign in to Parley"),
    usernameField.wrapper,
    passwordField.wrapper,
    formError,
    submit,
    h("p", {}, "New here? ", h("a", { href: "#/register" }, "Create account")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.textContent = "";
    usernameField.showError(username.value.trim() ? null : "Enter your username.");
    passwordField.showError(password.value ? null : "Enter your password.");
    if (!username.value.trim() || !password.value) return;
    await whileBusy(
      submit,
      async () => onSignedIn(await api.post<AuthReply>("/auth/login", { username: username.value.trim(), password: password.value })),
      (error) => {
        if (error instanceof ApiError && error.code === "totp_required") {
          replaceChildren(container, twoFactorStep(api, username.value.trim(), password.value, onSignedIn));
        } else {
          formError.textContent = error instanceof ApiError && error.status === 401 ? "Wrong username or password." : describeError(error);
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
  const codeField = field("Authentication code", code);
  const submit = h("button", { type: "submit", className: "primary" }, "Verify");
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, "Two-factor authentication"),
    h("p", {}, "Enter the code from your authenticator app, or one of your recovery codes."),
    codeField.wrapper,
    submit,
    h("p", {}, h("a", { href: "#/login", onclick: () => location.reload() }, "Sign in as someone else")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = code.value.trim();
    codeField.showError(value ? null : "Enter a code.");
    if (!value) return;
    await whileBusy(
      submit,
      async () => onSignedIn(await api.post<AuthReply>("/auth/login", { username, password, totp_code: value })),
      (error) => codeField.showError(error instanceof ApiError && error.status === 401 ? "That code is not valid. Try the current one." : describeError(error)),
    );
  });
  queueMicrotask(() => code.focus());
  return form;
}

export function registerView(api: ApiClient, onSignedIn: (reply: AuthReply) => void): HTMLElement {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false", maxlength: 20 });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const displayName = h("input", { name: "display_name", autocomplete: "name", maxlength: 50 });
  const fields = { username: field("Username", username), password: field("Password", password), display_name: field("Display name", displayName) };
  const formError = h("p", { className: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "primary" }, "Create account");
  const form = h(
    "form",
    { className: "auth-form", novalidate: true },
    h("h1", {}, "Create your Parley account"),
    fields.username.wrapper,
    fields.password.wrapper,
    fields.display_name.wrapper,
    formError,
    submit,
    h("p", {}, "Have an account? ", h("a", { href: "#/login" }, "Sign in")),
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
        const target = error instanceof ApiError && error.field ? fields[error.field as keyof typeof fields] : undefined;
        if (target) target.showError(describeError(error));
        else if (error instanceof ApiError && error.code === "username_taken") fields.username.showError(error.message);
        else formError.textContent = describeError(error);
      },
    );
  });
  queueMicrotask(() => username.focus());
  return h("main", { className: "auth-page" }, form);
}
