// The shell's sidebar (UI.md "Shell"): connection status, the actions, navigation "Rooms" with
// unread counts, notifications, search, settings and sign out.
import type { Store } from "../state/store";
import { h, replaceChildren } from "./dom";
import { roomTitle } from "./room-view";

export interface SidebarActions {
  newRoom(): void;
  browseRooms(): void;
  newDirectMessage(): void;
  notifications(): void;
  search(query: string): void;
  settings(): void;
  signOut(): void;
}

export class Sidebar {
  readonly element: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly status: HTMLElement;
  private readonly notificationsButton: HTMLButtonElement;
  private readonly meName: HTMLElement;
  private currentRoomId: string | null = null;

  constructor(private readonly store: Store, actions: SidebarActions) {
    this.status = h("p", { role: "status", "aria-label": "Connection", className: "connection" });
    this.nav = h("nav", { "aria-label": "Rooms", className: "room-nav" });
    this.notificationsButton = h("button", { type: "button", onclick: () => actions.notifications() }, "Notifications");
    const search = h("input", { type: "search", "aria-label": "Search messages", placeholder: "Search messages" });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && search.value.trim()) actions.search(search.value.trim());
    });
    this.element = h(
      "aside",
      { className: "sidebar" },
      h("div", { className: "brand" }, h("span", { className: "logo" }, "Parley"), this.status),
      (this.meName = h("p", { className: "me" }, store.me.display_name)),
      search,
      h(
        "div",
        { className: "shell-actions" },
        h("button", { type: "button", onclick: () => actions.newRoom() }, "New room"),
        h("button", { type: "button", onclick: () => actions.browseRooms() }, "Browse rooms"),
        h("button", { type: "button", onclick: () => actions.newDirectMessage() }, "New direct message"),
      ),
      this.nav,
      h(
        "div",
        { className: "shell-footer" },
        this.notificationsButton,
        h("button", { type: "button", onclick: () => actions.settings() }, "Settings"),
        h("button", { type: "button", onclick: () => actions.signOut() }, "Sign out"),
      ),
    );
    store.listen((change) => {
      if (change.kind === "rooms" || change.kind === "members") this.renderRooms();
      else if (change.kind === "status") this.renderStatus();
      else if (change.kind === "notifications") this.renderNotifications();
      else if (change.kind === "me") this.meName.textContent = store.me.display_name;
    });
    this.renderRooms();
    this.renderStatus();
    this.renderNotifications();
  }

  select(roomId: string | null): void {
    this.currentRoomId = roomId;
    this.renderRooms();
  }

  private renderRooms(): void {
    const sections: [string, string][] = [
      ["Rooms", "public"],
      ["Private rooms", "private"],
      ["Direct messages", "direct"],
    ];
    replaceChildren(
      this.nav,
      sections.map(([title, type]) => {
        const rooms = this.store.rooms.filter((room) => room.type === type);
        if (rooms.length === 0) return null;
        return h(
          "section",
          { className: "room-group" },
          h("h2", {}, title),
          h(
            "ul",
            {},
            rooms.map((room) => {
              const unread = room.unread_count ?? 0;
              return h(
                "li",
                {},
                h(
                  "a",
                  {
                    href: `#/rooms/${room.id}`,
                    className: ["room-link", unread > 0 ? "unread" : "", room.id === this.currentRoomId ? "current" : ""].join(" ").trim(),
                    "aria-current": room.id === this.currentRoomId ? "page" : null,
                  },
                  h("span", { className: "room-name" }, roomTitle(room, this.store)),
                  unread > 0 ? h("span", { className: "badge" }, h("span", { className: "visually-hidden" }, ", "), String(unread), h("span", { className: "visually-hidden" }, " unread")) : null,
                ),
              );
            }),
          ),
        );
      }),
    );
    if (this.store.rooms.length === 0) this.nav.append(h("p", { className: "hint" }, "No rooms yet. Create one or browse public rooms."));
  }

  private renderStatus(): void {
    this.status.textContent = this.store.status;
    this.status.dataset.state = this.store.status === "Connected" ? "up" : this.store.status === "Disconnected" ? "down" : "pending";
  }

  private renderNotifications(): void {
    const unread = this.store.unreadNotifications;
    this.notificationsButton.textContent = "Notifications";
    if (unread > 0) {
      this.notificationsButton.setAttribute("aria-label", `Notifications, ${unread} unread`);
      this.notificationsButton.append(h("span", { className: "badge", "aria-hidden": "true" }, String(unread)));
    } else {
      this.notificationsButton.removeAttribute("aria-label");
    }
  }
}
