// One message of the log as an article (UI.md "Room view"): sender, time, the server's
// rendered HTML, attachments, reactions, thread summary, the viewer's receipt, and actions.
import type { Attachment, GameInvitation, Room } from "../api/types";
import { canAnswer, invitationStatus } from "../state/pong";
import type { Entry } from "../state/timeline";
import { t } from "../i18n/i18n";
import { fileSize, h, longDateTime, shortTime, uniqueId } from "./dom";
import type { MediaLoader } from "./media";

export interface MessageActions {
  toggleReaction(entry: Entry, emoji: string, pressed: boolean): void;
  addReaction(entry: Entry, opener: HTMLElement): void;
  openThread(entry: Entry): void;
  edit(entry: Entry): void;
  remove(entry: Entry): void;
  copyLink(entry: Entry): void;
  retry(entry: Entry): void;
  discard(entry: Entry): void;
  openProfile(userId: string): void;
  pin(entry: Entry, pinned: boolean): void;
  showReaders(entry: Entry): void;
  report(entry: Entry): void;
  /// A `game` message's invitation, when known (its state lives in the games service).
  gameInvitation(entry: Entry): GameInvitation | undefined;
  answerInvitation(invitation: GameInvitation, answer: "accept" | "decline"): void;
  readonly media: MediaLoader;
}

export interface MessageContext {
  viewerId: string;
  room: Room | undefined;
  /// Whether the header (name, time) is shown, or folded into the previous message's group.
  grouped: boolean;
  inThread: boolean;
  /// Whether the message is pinned in its room.
  pinned?: boolean;
}

export function messageArticle(entry: Entry, context: MessageContext, actions: MessageActions): HTMLElement {
  const own = entry.sender?.id === context.viewerId;
  const canModerate = context.room?.my_role === "owner" || context.room?.my_role === "admin";
  // Unique per article: a thread's root shows in the log and in the thread panel at once.
  const senderId = uniqueId("sender");
  const article = h("article", {
    className: ["message", own ? "own" : "", context.grouped ? "grouped" : "", entry.local ? `local ${entry.local}` : "", entry.type === "system" ? "system" : ""].join(" ").trim(),
    "data-message-id": entry.id,
    tabindex: "-1",
    "aria-labelledby": entry.sender ? senderId : null,
  });
  const time = h("time", { datetime: entry.created_at, title: longDateTime(entry.created_at) }, shortTime(entry.created_at));
  const sender = entry.sender;
  if (sender) {
    const name = h("button", { type: "button", className: "sender", id: senderId, onclick: () => actions.openProfile(sender.id) }, sender.display_name);
    article.append(h("header", { className: context.grouped ? "message-header visually-hidden" : "message-header" }, name, " ", time));
  }

  const body = h("div", { className: "message-body" });
  if (entry.deleted) {
    body.append(h("p", { className: "deleted" }, t("message.deleted")));
  } else {
    // content_html is rendered and sanitised by the server (API.md: "safe to insert").
    body.innerHTML = entry.content_html;
    if (entry.edited_at) body.append(h("span", { className: "edited" }, " ", t("message.edited")));
    // A system message has no header: its time follows its text.
    if (!sender) body.append(" ", time);
  }
  article.append(body);

  if (!entry.deleted && entry.type === "game") {
    const invitation = actions.gameInvitation(entry);
    if (invitation) article.append(invitationControls(invitation, context.viewerId, actions));
  }

  if (!entry.deleted && entry.attachments.length > 0) {
    article.append(h("div", { className: "attachments" }, entry.attachments.map((attachment) => attachmentView(attachment, actions.media))));
  }

  if (!entry.deleted && entry.reactions.length > 0) {
    article.append(
      h(
        "div",
        { className: "reactions" },
        entry.reactions.map((reaction) =>
          h(
            "button",
            { type: "button", className: "reaction", "aria-pressed": String(reaction.me), onclick: () => actions.toggleReaction(entry, reaction.emoji, reaction.me) },
            `${reaction.emoji} ${reaction.count}`,
          ),
        ),
      ),
    );
  }

  if (!context.inThread && entry.reply_count > 0) {
    article.append(
      h("button", { type: "button", className: "thread-summary", onclick: () => actions.openThread(entry) }, t("message.replies", { count: entry.reply_count })),
    );
  }

  if (entry.local === "sending") {
    article.append(h("p", { className: "receipt" }, t("message.sending")));
  } else if (entry.local === "failed") {
    article.append(
      h(
        "p",
        { className: "receipt failed" },
        t("message.notSent"),
        " ",
        h("button", { type: "button", className: "link", onclick: () => actions.retry(entry) }, t("message.retry")),
        " ",
        h("button", { type: "button", className: "link", onclick: () => actions.discard(entry) }, t("message.discard")),
      ),
    );
  } else if (own && !entry.deleted && entry.type !== "system") {
    const text = receiptText(entry.read_count, context.room?.type === "direct");
    // In a group, who read it is a click away (API.md "Receipts": for the sender and admins).
    const receipt =
      context.room?.type !== "direct" && entry.read_count > 0
        ? h("button", { type: "button", className: "link", onclick: () => actions.showReaders(entry) }, text)
        : text;
    article.append(h("p", { className: "receipt" }, receipt));
  }


  if (!entry.local && !entry.deleted && entry.type !== "system") {
    const menuItems: [string, () => void][] = [];
    if (own && !entry.attachments.length && entry.type !== "game") menuItems.push([t("message.edit"), () => actions.edit(entry)]);
    if (own || canModerate) menuItems.push([t("message.delete"), () => actions.remove(entry)]);
    if (canModerate && !context.inThread) menuItems.push([context.pinned ? t("message.unpin") : t("message.pin"), () => actions.pin(entry, !!context.pinned)]);
    if (!own) menuItems.push([t("message.report"), () => actions.report(entry)]);
    menuItems.push([t("common.copyLink"), () => actions.copyLink(entry)]);
    const toolbar = h("div", { className: "message-actions", role: "group", "aria-label": t("message.actions") });
    if (!context.inThread) toolbar.append(h("button", { type: "button", onclick: () => actions.openThread(entry) }, t("message.replyInThread")));
    const react = h("button", { type: "button" }, t("message.addReaction"));
    react.addEventListener("click", () => actions.addReaction(entry, react));
    toolbar.append(react, menuButton(menuItems));
    article.append(toolbar);
  }
  return article;
}

/// A game invitation's state and, for whom it invites, "Accept" and "Decline" (for its sender
/// while it waits, "Cancel invitation").
function invitationControls(invitation: GameInvitation, viewerId: string, actions: MessageActions): HTMLElement {
  const now = new Date();
  const status = invitationStatus(invitation, now);
  const controls = h("div", { className: "game-invitation" }, h("span", { className: `game-status ${status}` }, t(`game.status.${status}`)));
  const answer = (kind: "accept" | "decline") => (event: Event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    actions.answerInvitation(invitation, kind);
  };
  if (canAnswer(invitation, viewerId, now)) {
    controls.append(
      h("button", { type: "button", className: "primary", onclick: answer("accept") }, t("game.accept")),
      h("button", { type: "button", onclick: answer("decline") }, t("game.decline")),
    );
  } else if (status === "pending" && invitation.inviter_id === viewerId) {
    controls.append(h("button", { type: "button", onclick: answer("decline") }, t("game.cancel")));
  }
  return controls;
}

export function receiptText(readCount: number, direct: boolean): string {
  if (direct) return readCount > 0 ? t("message.read") : t("message.delivered");
  return t("message.readBy", { count: readCount });
}

function attachmentView(attachment: Attachment, media: MediaLoader): HTMLElement {
  const open = (event: Event) => {
    event.preventDefault();
    if (attachment.thumbnail_url) media.view(attachment.url, attachment.filename);
    else void media.download(attachment.url, attachment.filename);
  };
  if (attachment.thumbnail_url) {
    const image = h("img", { alt: attachment.filename, decoding: "async" });
    media.show(image, attachment.thumbnail_url);
    // The box is reserved before the image arrives: the log does not jump when it loads.
    if (attachment.width && attachment.height) {
      const scale = Math.min(1, 360 / attachment.width, 240 / attachment.height);
      image.width = Math.max(1, Math.round(attachment.width * scale));
      image.height = Math.max(1, Math.round(attachment.height * scale));
    }
    return h("a", { href: attachment.url, className: "image-attachment", onclick: open }, image);
  }
  return h(
    "a",
    { href: attachment.url, download: attachment.filename, className: "file-card", onclick: open },
    h("span", { className: "file-name" }, attachment.filename),
    h("span", { className: "file-meta" }, `${fileSize(attachment.size)} · ${attachment.mime_type}`),
  );
}

/// Button "More actions" and its menu of menuitems; arrow keys move, Escape closes.
function menuButton(items: [string, () => void][]): HTMLElement {
  const button = h("button", { type: "button", "aria-haspopup": "menu", "aria-expanded": "false" }, t("message.moreActions"));
  const menu = h("div", { role: "menu", className: "menu", hidden: true });
  const close = () => {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
  };
  for (const [label, run] of items) {
    menu.append(
      h("button", {
        type: "button",
        role: "menuitem",
        tabindex: "-1",
        onclick: () => {
          close();
          run();
        },
      }, label),
    );
  }
  menu.addEventListener("keydown", (event: KeyboardEvent) => {
    const entries = [...menu.querySelectorAll<HTMLElement>("[role=menuitem]")];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === "ArrowDown") entries[(index + 1) % entries.length]?.focus();
    else if (event.key === "ArrowUp") entries[(index - 1 + entries.length) % entries.length]?.focus();
    else if (event.key === "Escape") {
      close();
      button.focus();
    } else return;
    event.preventDefault();
  });
  menu.addEventListener("focusout", (event: FocusEvent) => {
    if (!menu.contains(event.relatedTarget as Node) && event.relatedTarget !== button) close();
  });
  button.addEventListener("click", () => {
    const opening = menu.hidden;
    menu.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (opening) {
      // Near the bottom of the log the menu opens upwards, not cut off.
      const limit = button.closest("[role=log]")?.getBoundingClientRect().bottom ?? window.innerHeight;
      menu.classList.remove("above");
      if (menu.getBoundingClientRect().bottom > limit) menu.classList.add("above");
      menu.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    }
  });
  return h("span", { className: "menu-anchor" }, button, menu);
}
