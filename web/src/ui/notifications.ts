// The notification centre (UI.md "Search, notifications, settings"): the dialog "Notifications"
// with a link per notification, mark one or all read, kept in step with the other tabs by the
// `notification`, `notifications_read` and `notifications_removed` frames; the unread total in
// the tab's title; desktop notifications for mentions and direct messages while the tab is hidden.
import { describeError, type ApiClient } from "../api/client";
import type { Frame, NotificationPage, ParleyNotification } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import type { Store } from "../state/store";
import { openDialog } from "./dialog";
import { h, replaceChildren, whileBusy } from "./dom";

export interface NotificationOptions {
  /// Whether the person turned desktop notifications on (settings).
  desktopEnabled(): boolean;
}

export class NotificationCenter {
  private baseTitle = "Parley";

  constructor(
    private readonly api: ApiClient,
    private readonly store: Store,
    private readonly options: NotificationOptions,
  ) {
    store.listen((change) => {
      if (change.kind !== "notifications") return;
      this.renderTitle();
      if (change.frame?.type === "notification") this.showOnDesktop(change.frame.data.notification as ParleyNotification);
    });
  }

  /// The page's own title; the unread count goes in front of it.
  setTitle(title: string): void {
    this.baseTitle = title;
    this.renderTitle();
  }

  private renderTitle(): void {
    const unread = this.store.unreadNotifications;
    document.title = unread > 0 ? t("notifications.tabTitle", { count: unread, title: this.baseTitle }) : this.baseTitle;
  }

  /// Only what someone asked of the viewer (a mention, a direct message), and only while the tab
  /// is hidden: in a visible tab the bell and the room list say it already.
  private showOnDesktop(notification: ParleyNotification): void {
    if (document.visibilityState === "visible" || !this.options.desktopEnabled()) return;
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    if (notification.type !== "mention" && notification.type !== "direct_message") return;
    const desktop = new Notification(notification.title, { body: notification.content, tag: notification.id });
    desktop.onclick = () => {
      window.focus();
      location.hash = hashOf(notification.link);
      void this.markRead(notification);
      desktop.close();
    };
  }

  private async markRead(notification: ParleyNotification): Promise<void> {
    if (notification.read) return;
    await this.api.patch(`/notifications/${notification.id}/read`).catch(() => {});
  }

  /// The dialog "Notifications": newest first, paged, live while open.
  open(): void {
    let items: ParleyNotification[] = [];
    let cursor: string | null = null;
    const list = h("ul", { className: "notification-list", "aria-label": t("notifications.list") });
    const status = h("p", { role: "status", className: "hint" }, t("common.loading"));
    const more = h("button", { type: "button", hidden: true }, t("notifications.loadMore"));
    const markAll = h("button", { type: "button" }, t("notifications.markAllRead"));
    const error = h("p", { className: "form-error", role: "alert" });
    const dialog = openDialog(t("notifications.title"), () => unsubscribe());
    dialog.element.classList.add("notifications-dialog");
    dialog.body.append(h("div", { className: "dialog-actions" }, markAll), status, list, more, error);

    const render = () => {
      replaceChildren(list, items.map((item) => this.item(item, dialog.close, (read) => (items = items.map((other) => (other.id === read.id ? { ...other, read: true } : other))), render)));
      status.textContent = items.length === 0 ? t("notifications.empty") : "";
      status.hidden = items.length > 0;
      more.hidden = cursor === null;
      markAll.disabled = !items.some((item) => !item.read);
    };
    const load = async () => {
      const page = await this.api.get<NotificationPage>("/notifications?limit=30" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
      items = [...items, ...page.notifications.filter((item) => !items.some((known) => known.id === item.id))];
      cursor = page.next_cursor;
      render();
    };
    more.addEventListener("click", () => void whileBusy(more, load, (failure) => (error.textContent = describeError(failure))));
    markAll.addEventListener("click", () =>
      void whileBusy(
        markAll,
        async () => {
          await this.api.patch("/notifications/read-all");
          items = items.map((item) => ({ ...item, read: true }));
          render();
        },
        (failure) => (error.textContent = describeError(failure)),
      ),
    );
    const unsubscribe = this.store.listen((change) => {
      if (change.kind !== "notifications" || !change.frame) return;
      items = applied(items, change.frame);
      render();
    });
    load().catch((failure) => {
      status.textContent = describeError(failure);
    });
  }

  private item(item: ParleyNotification, close: () => void, markedRead: (item: ParleyNotification) => void, render: () => void): HTMLElement {
    const link = h(
      "a",
      { href: hashOf(item.link), className: "notification-link" },
      h("span", { className: "notification-title" }, item.title),
      item.content ? h("span", { className: "notification-content" }, item.content) : null,
    );
    link.addEventListener("click", () => {
      void this.markRead(item);
      close();
    });
    const markButton = item.read
      ? null
      : h("button", {
          type: "button",
          className: "link",
          "aria-label": t("notifications.markReadNamed", { title: item.title }),
          onclick: async () => {
            await this.markRead(item);
            markedRead(item);
            render();
          },
        }, t("notifications.markRead"));
    return h(
      "li",
      { className: item.read ? "notification" : "notification unread" },
      item.read ? null : h("span", { className: "visually-hidden" }, t("notifications.unread") + " "),
      link,
      h("time", { datetime: item.created_at }, dateTime(new Date(item.created_at), { dateStyle: "medium", timeStyle: "short" })),
      markButton,
    );
  }
}

/// The list after a frame from any of the viewer's tabs: a new notification first, read ones
/// marked, removed ones gone.
export function applied(items: ParleyNotification[], frame: Frame): ParleyNotification[] {
  const data = frame.data ?? {};
  switch (frame.type) {
    case "notification": {
      const notification = data.notification as ParleyNotification | undefined;
      if (!notification || items.some((item) => item.id === notification.id)) return items;
      return [notification, ...items];
    }
    case "notifications_read": {
      const ids = new Set<string>(data.notification_ids ?? []);
      return items.map((item) => (ids.has(item.id) ? { ...item, read: true } : item));
    }
    case "notifications_removed": {
      const ids = new Set<string>(data.notification_ids ?? []);
      return items.filter((item) => !ids.has(item.id));
    }
    default:
      return items;
  }
}

/// notify's links are routes of this app ("/#/rooms/…"): the hash part is what to open.
export function hashOf(link: string): string {
  const index = link.indexOf("#");
  return index >= 0 ? link.slice(index) : "#/";
}
