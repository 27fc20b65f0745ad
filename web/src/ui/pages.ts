// The simple pages of the content area: home, not found, an invite, and what part 2 brings.
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { Invite, Room } from "../api/types";
import { h, replaceChildren, whileBusy } from "./dom";

export function homeView(name: string): HTMLElement {
  return h(
    "section",
    { className: "page home" },
    h("h1", {}, `Welcome, ${name}`),
    h("p", {}, "Pick a room on the left, create one with “New room”, find public rooms with “Browse rooms”, or start a direct message."),
  );
}

export function notFoundView(): HTMLElement {
  return h(
    "section",
    { className: "page not-found" },
    h("h1", {}, "Not found"),
    h("p", {}, "There is nothing here, or it is not yours to see."),
    h("p", {}, h("a", { href: "#/" }, "Back to your rooms")),
  );
}

export function comingSoonView(title: string): HTMLElement {
  return h("section", { className: "page", role: "region", "aria-label": title }, h("h1", {}, title), h("p", {}, `${title} arrives with the next release of the web app.`));
}

/// `#/invite/{code}`: the room the invite opens, and "Join".
export function inviteView(api: ApiClient, code: string, onJoined: (room: Room) => void): HTMLElement {
  const page = h("section", { className: "page invite" }, h("p", { role: "status" }, "Loading the invite…"));
  api.get<Invite>(`/invites/${encodeURIComponent(code)}`).then(
    async (invite) => {
      let room: Room | undefined = invite.room;
      if (!room) room = await api.get<Room>(`/rooms/${invite.room_id}`).catch(() => undefined);
      const error = h("p", { className: "form-error", role: "alert" });
      const join = h("button", { type: "button", className: "primary" }, "Join");
      join.addEventListener("click", async () => {
        await whileBusy(
          join,
          async () => {
            const joined = await api.post<Room | { room: Room }>(`/invites/${encodeURIComponent(code)}/accept`);
            onJoined(room ?? ("room" in joined ? joined.room : (joined as Room)));
          },
          (failure) => {
            if (failure instanceof ApiError && failure.code === "already_member" && room) onJoined(room);
            else error.textContent = describeError(failure);
          },
        );
      });
      replaceChildren(
        page,
        h("h1", {}, room ? room.name : "A room"),
        room?.description ? h("p", {}, room.description) : null,
        room ? h("p", { className: "hint" }, `${room.member_count} members`) : null,
        join,
        error,
      );
      join.focus();
    },
    (failure) => {
      const gone = failure instanceof ApiError && failure.status === 410;
      replaceChildren(
        page,
        h("h1", {}, gone ? "This invite no longer works" : "Invite not found"),
        h("p", {}, gone ? describeError(failure) : "Check the link, or ask for a new one."),
        h("p", {}, h("a", { href: "#/" }, "Back to your rooms")),
      );
    },
  );
  return page;
}
