// The shell's dialogs (UI.md "Dialogs"): new room, browse public rooms, new direct message.
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { Room, User } from "../api/types";
import { openDialog } from "./dialog";
import { field, h, replaceChildren, uniqueId, whileBusy } from "./dom";

export function newRoomDialog(api: ApiClient, onCreated: (room: Room) => void): void {
  const dialog = openDialog("New room");
  const name = h("input", { name: "name", maxlength: 100, required: true });
  const description = h("input", { name: "description", maxlength: 500 });
  const password = h("input", { type: "password", name: "room-password", autocomplete: "new-password" });
  const group = uniqueId("type");
  const isPublic = h("input", { type: "radio", name: group, value: "public", id: uniqueId("public"), checked: true });
  const isPrivate = h("input", { type: "radio", name: group, value: "private", id: uniqueId("private") });
  const fields = { name: field("Room name", name), description: field("Description", description), password: field("Room password", password) };
  const passwordHint = h("p", { className: "hint" }, "Optional: people need it to join this public room.");
  const updatePassword = () => {
    fields.password.wrapper.hidden = !isPublic.checked;
    passwordHint.hidden = !isPublic.checked;
  };
  isPublic.addEventListener("change", updatePassword);
  isPrivate.addEventListener("change", updatePassword);
  const formError = h("p", { className: "form-error", role: "alert" });
  const create = h("button", { type: "submit", className: "primary" }, "Create");
  const form = h(
    "form",
    { novalidate: true },
    fields.name.wrapper,
    fields.description.wrapper,
    h(
      "fieldset",
      { className: "choices" },
      h("legend", {}, "Who can find it"),
      h("label", { for: isPublic.id }, isPublic, " Public"),
      h("label", { for: isPrivate.id }, isPrivate, " Private"),
    ),
    fields.password.wrapper,
    passwordHint,
    formError,
    create,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const entry of Object.values(fields)) entry.showError(null);
    formError.textContent = "";
    const body: Record<string, string> = { name: name.value.trim(), type: isPublic.checked ? "public" : "private" };
    if (description.value.trim()) body.description = description.value.trim();
    if (isPublic.checked && password.value) body.password = password.value;
    await whileBusy(
      create,
      async () => {
        const room = await api.post<Room>("/rooms", body);
        dialog.close();
        onCreated(room);
      },
      (error) => {
        const target = error instanceof ApiError && error.field ? fields[error.field as keyof typeof fields] : undefined;
        if (target) target.showError(describeError(error));
        else formError.textContent = describeError(error);
      },
    );
  });
  dialog.body.append(form);
}

export function browseRoomsDialog(api: ApiClient, isMember: (roomId: string) => boolean, onJoined: (room: Room) => void): void {
  const dialog = openDialog("Browse rooms");
  const search = h("input", { type: "search", "aria-label": "Search rooms", placeholder: "Search rooms" });
  const list = h("ul", { className: "room-directory" });
  const status = h("p", { role: "status", className: "hint" });
  let rooms: Room[] = [];
  const render = () => {
    const query = search.value.trim().toLowerCase();
    const shown = rooms.filter((room) => !query || room.name.toLowerCase().includes(query) || (room.description ?? "").toLowerCase().includes(query));
    status.textContent = shown.length === 0 ? "No public rooms match." : "";
    replaceChildren(
      list,
      shown.map((room) => {
        const item = h("li", { className: "directory-room" });
        const join = h("button", { type: "button" }, isMember(room.id) ? "Open" : "Join");
        const error = h("p", { className: "form-error", role: "alert" });
        join.addEventListener("click", async () => {
          if (isMember(room.id)) {
            dialog.close();
            onJoined(room);
            return;
          }
          if (room.has_password && !item.querySelector("input")) {
            const password = h("input", { type: "password", autocomplete: "off" });
            const passwordField = field("Room password", password);
            item.insertBefore(passwordField.wrapper, join);
            password.focus();
            password.addEventListener("keydown", (event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                join.click();
              }
            });
            return;
          }
          const password = item.querySelector("input")?.value;
          await whileBusy(
            join,
            async () => {
              await api.post(`/rooms/${room.id}/join`, password ? { password } : {});
              dialog.close();
              onJoined(room);
            },
            (failure) => (error.textContent = failure instanceof ApiError && failure.code === "wrong_password" ? "That password is not right." : describeError(failure)),
          );
        });
        item.append(
          h("div", { className: "directory-text" }, h("strong", {}, room.name), room.has_password ? " 🔒" : "", h("p", { className: "hint" }, room.description ?? "", ` · ${room.member_count} members`)),
          join,
          error,
        );
        return item;
      }),
    );
  };
  search.addEventListener("input", render);
  dialog.body.append(search, status, list);
  status.textContent = "Loading…";
  api.get<{ rooms: Room[] }>("/rooms/public?limit=100").then(
    (reply) => {
      rooms = reply.rooms;
      render();
    },
    (error) => (status.textContent = describeError(error)),
  );
}

export function newDirectMessageDialog(api: ApiClient, me: User, onChosen: (user: User) => void): void {
  const dialog = openDialog("New direct message");
  const search = h("input", { type: "search", "aria-label": "Search people", placeholder: "Search people by name" });
  const list = h("ul", { className: "people" });
  const status = h("p", { role: "status", className: "hint" }, "Type a name to find someone.");
  let timer: number | null = null;
  let asked = "";
  search.addEventListener("input", () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const query = search.value.trim();
      asked = query;
      if (!query) {
        list.textContent = "";
        status.textContent = "Type a name to find someone.";
        return;
      }
      try {
        const reply = await api.get<{ users: User[] }>(`/users/search?q=${encodeURIComponent(query)}`);
        if (asked !== query) return;
        const people = reply.users.filter((user) => user.id !== me.id);
        status.textContent = people.length === 0 ? "Nobody found." : "";
        replaceChildren(
          list,
          people.map((user) =>
            h(
              "li",
              {},
              h("button", {
                type: "button",
                className: "person",
                "aria-label": user.display_name,
                onclick: () => {
                  dialog.close();
                  onChosen(user);
                },
              }, h("span", { "aria-hidden": "true" }, `${user.display_name} `, h("span", { className: "hint" }, `@${user.username}`))),
            ),
          ),
        );
      } catch (error) {
        status.textContent = describeError(error);
      }
    }, 200);
  });
  dialog.body.append(search, status, list);
}

/// Dialog "Invite people" (admins): a link anyone can join with (7 days), and adding someone
/// found by name at once.
export function inviteDialog(api: ApiClient, room: Room): void {
  const dialog = openDialog("Invite people");
  const status = h("p", { role: "status", className: "hint" }, "Making a link…");
  const linkBox = h("input", { readonly: true, "aria-label": "Invite link" });
  const copy = h("button", { type: "button", disabled: true }, "Copy link");
  copy.addEventListener("click", () => {
    linkBox.select();
    navigator.clipboard?.writeText(linkBox.value).then(() => (status.textContent = "Link copied."), () => (status.textContent = "Select the link and copy it."));
  });
  api.post<{ code: string; expires_at: string | null }>(`/rooms/${room.id}/invites`, {}).then(
    (invite) => {
      linkBox.value = `${location.origin}/#/invite/${invite.code}`;
      copy.disabled = false;
      status.textContent = invite.expires_at ? `Anyone with the link can join until ${new Date(invite.expires_at).toLocaleDateString()}.` : "Anyone with the link can join.";
    },
    (error) => (status.textContent = describeError(error)),
  );
  const search = h("input", { type: "search", "aria-label": "Search people", placeholder: "Add someone by name" });
  const people = h("ul", { className: "people" });
  let timer: number | null = null;
  search.addEventListener("input", () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const query = search.value.trim();
      if (!query) return people.replaceChildren();
      try {
        const reply = await api.get<{ users: User[] }>(`/users/search?q=${encodeURIComponent(query)}`);
        replaceChildren(
          people,
          reply.users.map((user) => {
            const add = h("button", { type: "button", className: "person", "aria-label": `Add ${user.display_name}` }, `${user.display_name} `, h("span", { className: "hint" }, `@${user.username}`));
            add.addEventListener("click", async () => {
              try {
                await api.post(`/rooms/${room.id}/members`, { user_id: user.id });
                status.textContent = `${user.display_name} was added.`;
                add.disabled = true;
              } catch (error) {
                status.textContent = error instanceof ApiError && error.code === "already_member" ? `${user.display_name} is already here.` : describeError(error);
              }
            });
            return h("li", {}, add);
          }),
        );
      } catch (error) {
        status.textContent = describeError(error);
      }
    }, 200);
  });
  dialog.body.append(h("div", { className: "invite-link" }, linkBox, copy), status, h("h3", {}, "Add someone"), search, people);
}
