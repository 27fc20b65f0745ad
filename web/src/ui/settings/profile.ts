// The settings page's "Profile" sub-section: display name, status, status message and avatar
// URL, saved with PATCH /users/me; each refusal is shown at its field.
import { describeError } from "../../api/client";
import type { Presence, User } from "../../api/types";
import type { MessageKey } from "../../i18n/en";
import { t } from "../../i18n/i18n";
import { field, h, showOnField, whileBusy } from "../dom";
import { statusLine, subSection, type Context, type Field } from "./common";

const statusKeys: Record<Presence, MessageKey> = {
  online: "settings.profile.online",
  away: "settings.profile.away",
  busy: "settings.profile.busy",
  offline: "settings.profile.offline",
};

export function profileSection(context: Context): HTMLElement {
  const me = context.user;
  const displayName = h("input", { name: "display_name", autocomplete: "nickname", maxlength: 50, required: true });
  displayName.value = me.display_name;
  const status = h("select", { name: "status" });
  // "offline" (appearing offline) is offered only to someone who already chose it elsewhere.
  const choices: Presence[] = me.status === "offline" ? ["online", "away", "busy", "offline"] : ["online", "away", "busy"];
  for (const choice of choices) status.append(h("option", { value: choice }, t(statusKeys[choice])));
  status.value = me.status;
  const statusMessage = h("input", { name: "status_message", maxlength: 100 });
  statusMessage.value = me.status_message ?? "";
  const avatarUrl = h("input", { type: "url", name: "avatar_url", maxlength: 2048, placeholder: "https://…", autocomplete: "photo" });
  avatarUrl.value = me.avatar_url ?? "";
  const fields: Record<string, Field> = {
    display_name: field(t("settings.profile.displayName"), displayName),
    status: field(t("settings.profile.status"), status),
    status_message: field(t("settings.profile.statusMessage"), statusMessage),
    avatar_url: field(t("settings.profile.avatarUrl"), avatarUrl),
  };
  const feedback = statusLine();
  const save = h("button", { type: "submit", className: "primary" }, t("common.save"));
  const form = h(
    "form",
    { className: "settings-form", novalidate: true },
    fields.display_name.wrapper,
    fields.status.wrapper,
    fields.status_message.wrapper,
    fields.avatar_url.wrapper,
    h("p", { className: "hint" }, t("settings.profile.avatarHint")),
    feedback.element,
    h("div", { className: "settings-actions" }, save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.clear();
    for (const entry of Object.values(fields)) entry.showError(null);
    const name = displayName.value.trim();
    if (!name) {
      fields.display_name.showError(t("settings.profile.nameRequired"));
      displayName.focus();
      return;
    }
    const body = {
      display_name: name,
      status: status.value,
      status_message: statusMessage.value.trim() || null,
      avatar_url: avatarUrl.value.trim() || null,
    };
    await whileBusy(
      save,
      async () => {
        const user = await context.deps.api.patch<User>("/users/me", body);
        context.user = { ...context.user, ...user };
        displayName.value = user.display_name;
        statusMessage.value = user.status_message ?? "";
        avatarUrl.value = user.avatar_url ?? "";
        feedback.say(t("settings.profile.saved"));
        context.deps.onUserUpdated(context.user);
      },
      (error) => {
        if (!showOnField(error, fields)) feedback.fail(describeError(error));
      },
    );
  });
  return subSection(t("settings.profile.title"), form);
}
