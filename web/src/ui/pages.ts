// The simple pages of the content area: home, not found, and an invite.
import { ApiError, describeError, type ApiClient } from "../api/client";
import type { Invite, Room } from "../api/types";
import { t } from "../i18n/i18n";
import { h, replaceChildren, whileBusy } from "./dom";

export function homeView(name: string): HTMLElement {
  return h(
    "section",
    { className: "page home" },
    h("h1", {}, t("pages.welcome", { name })),
    h("p", {}, t("pages.homeHelp", { newRoom: t("sidebar.newRoom"), browseRooms: t("sidebar.browseRooms") })),
  );
}

export function notFoundView(): HTMLElement {
  return h(
    "section",
    { className: "page not-found" },
    h("h1", {}, t("pages.notFound")),
    h("p", {}, t("pages.notFoundHelp")),
    h("p", {}, h("a", { href: "#/" }, t("common.backToRooms"))),
  );
}


/// `#/invite/{code}`: the room the invite opens, and "Join".
export function inviteView(api: ApiClient, code: string, onJoined: (room: Room) => void): HTMLElement {
  const page = h("section", { className: "page invite" }, h("p", { role: "status" }, t("pages.loadingInvite")));
  api.get<Invite>(`/invites/${encodeURIComponent(code)}`).then(
    async (invite) => {
      let room: Room | undefined = invite.room;
      if (!room) room = await api.get<Room>(`/rooms/${invite.room_id}`).catch(() => undefined);
      const error = h("p", { className: "form-error", role: "alert" });
      const join = h("button", { type: "button", className: "primary" }, t("common.join"));
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
        h("h1", {}, room ? room.name : t("pages.aRoom")),
        room?.description ? h("p", {}, room.description) : null,
        room ? h("p", { className: "hint" }, t("common.memberCount", { count: room.member_count })) : null,
        join,
        error,
      );
      join.focus();
    },
    (failure) => {
      const gone = failure instanceof ApiError && failure.status === 410;
      replaceChildren(
        page,
        h("h1", {}, gone ? t("pages.inviteGone") : t("pages.inviteNotFound")),
        h("p", {}, gone ? describeError(failure) : t("pages.checkLink")),
        h("p", {}, h("a", { href: "#/" }, t("common.backToRooms"))),
      );
    },
  );
  return page;
}
