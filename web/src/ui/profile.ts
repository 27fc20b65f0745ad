// A person's profile panel (avatar, display name, status, status message) with "Message" to
// open a direct room, and "Block" or "Unblock".
import { describeError, type ApiClient } from "../api/client";
import type { User } from "../api/types";
import type { Store } from "../state/store";
import { t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { h } from "./dom";

export function openProfile(api: ApiClient, userId: string, store: Store, actions: { message(user: User): void; blocked(user: User, blocked: boolean): void }): void {
  const dialog = openDialog(t("profile.title"));
  const status = h("p", { role: "status" }, t("common.loading"));
  dialog.body.append(status);
  Promise.all([api.get<User>(`/users/${userId}`), api.get<{ blocks: { user: User }[] }>("/users/me/blocks?limit=100")]).then(
    ([user, { blocks }]) => {
      const isBlocked = blocks.some((entry) => entry.user.id === user.id);
      status.remove();
      const presence = store.presenceOf(user);
      const avatar = user.avatar_url
        ? h("img", { src: user.avatar_url, alt: t("profile.avatar", { name: user.display_name }), className: "avatar large", width: 96, height: 96 })
        : h("div", { className: "avatar large placeholder", "aria-hidden": "true" }, user.display_name.slice(0, 1).toUpperCase());
      dialog.body.append(
        h(
          "div",
          { className: "profile" },
          avatar,
          h("h3", {}, user.display_name),
          h("p", { className: "hint" }, `@${user.username}`),
          h("p", {}, h("span", { className: `presence-dot ${presence}`, "aria-hidden": "true" }), " ", t(`common.presence.${presence}`)),
          user.status_message ? h("p", {}, user.status_message) : null,
        ),
      );
      if (user.id !== store.me.id) {
        const block = h("button", { type: "button" }, isBlocked ? t("profile.unblock") : t("profile.block"));
        block.addEventListener("click", async () => {
          try {
            if (isBlocked) await api.delete(`/users/${user.id}/block`);
            else await api.post(`/users/${user.id}/block`);
            dialog.close();
            actions.blocked(user, !isBlocked);
          } catch (error) {
            status.textContent = describeError(error);
            dialog.body.append(status);
          }
        });
        dialog.body.append(
          h(
            "div",
            { className: "dialog-actions" },
            h("button", {
              type: "button",
              className: "primary",
              onclick: () => {
                dialog.close();
                actions.message(user);
              },
            }, t("profile.message")),
            block,
          ),
        );
      }
    },
    (error) => (status.textContent = describeError(error)),
  );
}
