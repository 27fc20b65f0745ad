// The shell's sidebar (UI.md "Shell"): connection status, the actions, navigation "Rooms" with
// unread counts, notifications, search, help, settings and sign out.
import type { MessageKey } from "../i18n/en";
import { number, t } from "../i18n/i18n";
import type { ConnectionStatus } from "../realtime/connection";
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

const statusText: Record<ConnectionStatus, MessageKey> = {
  Connected: "sidebar.connected",
  "Connecting…": "sidebar.connecting",
  Disconnected: "sidebar.disconnected",
};

export class Sidebar {
  readonly element: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly status: HTMLElement;
  private readonly notificationsButton: HTMLButtonElement;
  private readonly meName: HTMLElement;
  private currentRoomId: string | null = null;
  private readonly searchBox: HTMLInputElement;

  constructor(private readonly store: Store, actions: SidebarActions) {
    this.status = h("p", { role: "status", "aria-label": t("sidebar.connection"), className: "connection" });
    this.nav = h("nav", { "aria-label": t("sidebar.rooms"), className: "room-nav" });
    this.notificationsButton = h("button", { type: "button", onclick: () => actions.notifications() }, t("sidebar.notifications"));
    const search = (this.searchBox = h("input", { type: "search", "aria-label": t("sidebar.searchMessages"), placeholder: t("sidebar.searchMessages") }));
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
        h("button", { type: "button", onclick: () => actions.newRoom() }, t("sidebar.newRoom")),
        h("button", { type: "button", onclick: () => actions.browseRooms() }, t("sidebar.browseRooms")),
        h("button", { type: "button", onclick: () => actions.newDirectMessage() }, t("sidebar.newDirectMessage")),
      ),
      this.nav,
      h(
        "div",
        { className: "shell-footer" },
        this.notificationsButton,
        manualLink(),
        h("button", { type: "button", onclick: () => actions.settings() }, t("sidebar.settings")),
        h("button", { type: "button", onclick: () => actions.signOut() }, t("sidebar.signOut")),
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

  /// The search on screen (empty elsewhere), unless the box is being typed in.
  showQuery(query: string): void {
    if (document.activeElement !== this.searchBox) this.searchBox.value = query;
  }

  select(roomId: string | null): void {
    this.currentRoomId = roomId;
    this.renderRooms();
  }

  private renderRooms(): void {
    const sections: [string, string][] = [
      [t("sidebar.publicRooms"), "public"],
      [t("sidebar.privateRooms"), "private"],
      [t("sidebar.directMessages"), "direct"],
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
                  // Named "{room}, 3 unread"; the badge shows the number.
                  unread > 0 ? h("span", { className: "visually-hidden" }, ", ", t("sidebar.unread", { count: unread })) : null,
                  unread > 0 ? h("span", { className: "badge", "aria-hidden": "true" }, number(unread)) : null,
                ),
              );
            }),
          ),
        );
      }),
    );
    if (this.store.rooms.length === 0) this.nav.append(h("p", { className: "hint" }, t("sidebar.noRooms")));
  }

  private renderStatus(): void {
    this.status.textContent = t(statusText[this.store.status]);
    this.status.dataset.state = this.store.status === "Connected" ? "up" : this.store.status === "Disconnected" ? "down" : "pending";
  }

  private renderNotifications(): void {
    const unread = this.store.unreadNotifications;
    this.notificationsButton.textContent = t("sidebar.notifications");
    if (unread > 0) {
      this.notificationsButton.setAttribute("aria-label", t("sidebar.notificationsUnread", { count: unread }));
      this.notificationsButton.append(h("span", { className: "badge", "aria-hidden": "true" }, number(unread)));
    } else {
      this.notificationsButton.removeAttribute("aria-label");
    }
  }
}

/// Link "Help": the user manual, one page web/build renders from docs/manual (index.html names it
/// in `<meta name="parley-manual">`), in a new tab. None when the build made no manual.
function manualLink(): HTMLElement | null {
  const href = document.querySelector<HTMLMetaElement>("meta[name=parley-manual]")?.content ?? "";
  if (!href.startsWith("/assets/")) return null;
  return h("a", { href, target: "_blank", rel: "noopener", className: "button" }, t("sidebar.help"));
}
