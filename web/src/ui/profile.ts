// A person's profile panel (avatar, display name, status, status message) with "Message" to
// open a direct room and "Block".
import { describeError, type ApiClient } from "../api/client";
import type { User } from "../api/types";
import type { Store } from "../state/store";
import { openDialog } from "./dialog";
import { h } from "./dom";

export function openProfile(api: ApiClient, userId: string, store: Store, actions: { message(user: User): void; blocked(user: User): void }): void {
  const dialog = openDialog("Profile");
  const status = h("p", { role: "status" }, "Loading…");
  dialog.body.append(status);
  api.get<User>(`/users/${userId}`).then(
    (user) => {
      status.remove();
      const presence = store.presenceOf(user);
      const avatar = user.avatar_url
        ? h("img", { src: user.avatar_url, alt: `${user.display_name}'s avatar`, className: "avatar large", width: 96, height: 96 })
        : h("div", { className: "avatar large placeholder", "aria-hidden": "true" }, user.display_name.slice(0, 1).toUpperCase());
      dialog.body.append(
        h(
          "div",
          { className: "profile" },
          avatar,
          h("h3", {}, user.display_name),
          h("p", { className: "hint" }, `@${user.username}`),
          h("p", {}, h("span", { className: `presence-dot ${presence}`, "aria-hidden": "true" }), ` ${presence}`),
          user.status_message ? h("p", {}, user.status_message) : null,
        ),
      );
      if (user.id !== store.me.id) {
        const block = h("button", { type: "button" }, "Block");
        block.addEventListener("click", async () => {
          try {
            await api.post(`/users/${user.id}/block`);
            dialog.close();
            actions.blocked(user);
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
            }, "Message"),
            block,
          ),
        );
      }
    },
    (error) => (status.textContent = describeError(error)),
  );
}
