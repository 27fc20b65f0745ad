// The shell's dialogs (UI.md "Dialogs"): new room, browse public rooms, new direct message.
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { Room, User } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { field, h, replaceChildren, showOnField, uniqueId, whileBusy } from "./dom";

export function newRoomDialog(api: ApiClient, onCreated: (room: Room) => void): void {
  const dialog = openDialog(t("dialogs.newRoom"));
  const name = h("input", { name: "name", maxlength: 100, required: true });
  const description = h("input", { name: "description", maxlength: 1000 });
  const password = h("input", { type: "password", name: "room-password", autocomplete: "new-password" });
  const group = uniqueId("type");
  const isPublic = h("input", { type: "radio", name: group, value: "public", id: uniqueId("public"), checked: true });
  const isPrivate = h("input", { type: "radio", name: group, value: "private", id: uniqueId("private") });
  const fields = { name: field(t("dialogs.roomName"), name), description: field(t("dialogs.description"), description), password: field(t("dialogs.roomPassword"), password) };
  const passwordHint = h("p", { className: "hint" }, t("dialogs.roomPasswordHint"));
  const updatePassword = () => {
    fields.password.wrapper.hidden = !isPublic.checked;
    passwordHint.hidden = !isPublic.checked;
  };
  isPublic.addEventListener("change", updatePassword);
  isPrivate.addEventListener("change", updatePassword);
  const formError = h("p", { className: "form-error", role: "alert" });
  const create = h("button", { type: "submit", className: "primary" }, t("dialogs.create"));
  const form = h(
    "form",
    { novalidate: true },
    fields.name.wrapper,
    fields.description.wrapper,
    h(
      "fieldset",
      { className: "choices" },
      h("legend", {}, t("dialogs.whoCanFind")),
      h("label", { for: isPublic.id }, isPublic, " ", t("dialogs.public")),
      h("label", { for: isPrivate.id }, isPrivate, " ", t("dialogs.private")),
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
        if (!showOnField(error, fields)) formError.textContent = describeError(error);
      },
    );
  });
  dialog.body.append(form);
}

export function browseRoomsDialog(api: ApiClient, isMember: (roomId: string) => boolean, onJoined: (room: Room) => void): void {
  const dialog = openDialog(t("dialogs.browseRooms"));
  const search = h("input", { type: "search", "aria-label": t("dialogs.searchRooms"), placeholder: t("dialogs.searchRooms") });
  const list = h("ul", { className: "room-directory" });
  const status = h("p", { role: "status", className: "hint" });
  let rooms: Room[] = [];
  const render = () => {
    const query = search.value.trim().toLowerCase();
    const shown = rooms.filter((room) => !query || room.name.toLowerCase().includes(query) || (room.description ?? "").toLowerCase().includes(query));
    status.textContent = shown.length === 0 ? t("dialogs.noRoomsMatch") : "";
    replaceChildren(
      list,
      shown.map((room) => {
        const item = h("li", { className: "directory-room" });
        const join = h("button", { type: "button" }, isMember(room.id) ? t("common.open") : t("common.join"));
        const error = h("p", { className: "form-error", role: "alert" });
        join.addEventListener("click", async () => {
          if (isMember(room.id)) {
            dialog.close();
            onJoined(room);
            return;
          }
          if (room.has_password && !item.querySelector("input")) {
            const password = h("input", { type: "password", autocomplete: "off" });
            const passwordField = field(t("dialogs.roomPassword"), password);
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
            (failure) => (error.textContent = failure instanceof ApiError && failure.code === "wrong_password" ? t("dialogs.wrongPassword") : describeError(failure)),
          );
        });
        item.append(
          h("div", { className: "directory-text" }, h("strong", {}, room.name), room.has_password ? " 🔒" : "", h("p", { className: "hint" }, room.description ?? "", " · ", t("common.memberCount", { count: room.member_count }))),
          join,
          error,
        );
        return item;
      }),
    );
  };
  search.addEventListener("input", render);
  dialog.body.append(search, status, list);
  status.textContent = t("common.loading");
  api.get<{ rooms: Room[] }>("/rooms/public?limit=100").then(
    (reply) => {
      rooms = reply.rooms;
      render();
    },
    (error) => (status.textContent = describeError(error)),
  );
}

export function newDirectMessageDialog(api: ApiClient, me: User, onChosen: (user: User) => void): void {
  const dialog = openDialog(t("dialogs.newDirectMessage"));
  const search = h("input", { type: "search", "aria-label": t("dialogs.searchPeople"), placeholder: t("dialogs.searchPeoplePlaceholder") });
  const list = h("ul", { className: "people" });
  const status = h("p", { role: "status", className: "hint" }, t("dialogs.typeAName"));
  let timer: number | null = null;
  let asked = "";
  search.addEventListener("input", () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const query = search.value.trim();
      asked = query;
      if (!query) {
        list.textContent = "";
        status.textContent = t("dialogs.typeAName");
        return;
      }
      try {
        const reply = await api.get<{ users: User[] }>(`/users/search?q=${encodeURIComponent(query)}`);
        if (asked !== query) return;
        const people = reply.users.filter((user) => user.id !== me.id);
        status.textContent = people.length === 0 ? t("dialogs.nobodyFound") : "";
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
  const dialog = openDialog(t("dialogs.invitePeople"));
  const status = h("p", { role: "status", className: "hint" }, t("dialogs.makingLink"));
  const linkBox = h("input", { readonly: true, "aria-label": t("dialogs.inviteLink") });
  const copy = h("button", { type: "button", disabled: true }, t("common.copyLink"));
  copy.addEventListener("click", () => {
    linkBox.select();
    navigator.clipboard?.writeText(linkBox.value).then(() => (status.textContent = t("common.linkCopied")), () => (status.textContent = t("dialogs.copyByHand")));
  });
  api.post<{ code: string; expires_at: string | null }>(`/rooms/${room.id}/invites`, {}).then(
    (invite) => {
      linkBox.value = `${location.origin}/#/invite/${invite.code}`;
      copy.disabled = false;
      status.textContent = invite.expires_at
        ? t("dialogs.inviteUntil", { date: dateTime(new Date(invite.expires_at), { year: "numeric", month: "long", day: "numeric" }) })
        : t("dialogs.inviteForever");
    },
    (error) => (status.textContent = describeError(error)),
  );
  const search = h("input", { type: "search", "aria-label": t("dialogs.searchPeople"), placeholder: t("dialogs.addSomeonePlaceholder") });
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
            const add = h("button", { type: "button", className: "person", "aria-label": t("dialogs.addPerson", { name: user.display_name }) }, `${user.display_name} `, h("span", { className: "hint" }, `@${user.username}`));
            add.addEventListener("click", async () => {
              try {
                await api.post(`/rooms/${room.id}/members`, { user_id: user.id });
                status.textContent = t("dialogs.added", { name: user.display_name });
                add.disabled = true;
              } catch (error) {
                status.textContent = error instanceof ApiError && error.code === "already_member" ? t("dialogs.alreadyHere", { name: user.display_name }) : describeError(error);
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
  dialog.body.append(h("div", { className: "invite-link" }, linkBox, copy), status, h("h3", {}, t("dialogs.addSomeone")), search, people);
}
