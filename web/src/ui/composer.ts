// The message box (UI.md "Composer"): Enter sends, Shift+Enter is a new line, Up in an empty box
// edits the viewer's last message, Escape cancels an edit; typing is announced while writing;
// files come from the attach button, a drop or a paste, each with a progress bar while it uploads.
import { describeError } from "../api/client";
import type { User } from "../api/types";
import { t } from "../i18n/i18n";
import { h, uniqueId } from "./dom";
import { MentionPicker } from "./mentions";

export interface ComposerHooks {
  /// Sends text with the given uploaded attachments; returns false when nothing was sent.
  send(content: string, attachmentIds: string[]): void;
  saveEdit(messageId: string, content: string): Promise<void>;
  /// The viewer's last editable message, for Up.
  lastOwn(): { id: string; content: string } | null;
  typing(active: boolean): void;
  upload(file: File, onProgress: (fraction: number) => void): Promise<string>;
  showError(message: string): void;
  /// The room's members, for `@` autocompletion.
  members(): User[];
  /// "Send later" (the room's composer only): schedules the text, calling `scheduled` once it is.
  sendLater?(content: string, scheduled: () => void): void;
  /// "Scheduled messages": the viewer's messages for later in the room.
  showScheduled?(): void;
}

const typingIdleMs = 4_000;
const typingRepeatMs = 3_000;

export class Composer {
  readonly element: HTMLElement;
  readonly textbox: HTMLTextAreaElement;
  private readonly uploads: HTMLElement;
  private readonly editHint: HTMLElement;
  private editing: string | null = null;
  private pendingUploads = 0;
  private attachmentIds: string[] = [];
  private typingSentAt = 0;
  private idleTimer: number | null = null;
  private readonly mentions: MentionPicker;

  /// `kind`: the room's textbox "Message" or a thread's "Reply".
  constructor(kind: "message" | "reply", private readonly hooks: ComposerHooks, withFiles: boolean) {
    const reply = kind === "reply";
    this.textbox = h("textarea", {
      "aria-label": t(reply ? "composer.reply" : "composer.message"),
      rows: 1,
      placeholder: t(reply ? "composer.replyPlaceholder" : "composer.messagePlaceholder"),
      maxlength: 10000,
    });
    this.uploads = h("div", { className: "uploads" });
    this.editHint = h("p", { className: "edit-hint", hidden: true }, t("composer.editHint"));
    const send = h("button", { type: "submit", className: "primary" }, t("composer.send"));
    const form = h("form", { className: "composer" }, this.editHint, this.uploads);
    const row = h("div", { className: "composer-row" });
    if (withFiles) {
      const input = h("input", { type: "file", multiple: true, className: "visually-hidden", id: uniqueId("attach"), "aria-label": t("composer.attachFile"), tabindex: "-1" });
      input.addEventListener("change", () => {
        this.addFiles([...(input.files ?? [])]);
        input.value = "";
      });
      row.append(h("button", { type: "button", className: "attach", onclick: () => input.click() }, t("composer.attachFile")), input);
    }
    this.mentions = new MentionPicker(this.textbox, () => hooks.members());
    row.append(this.textbox, send);
    if (hooks.sendLater) row.append(h("button", { type: "button", onclick: () => this.sendLater() }, t("composer.sendLater")));
    if (hooks.showScheduled) row.append(h("button", { type: "button", onclick: () => hooks.showScheduled?.() }, t("composer.scheduled")));
    form.append(this.mentions.element, row);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.textbox.addEventListener("keydown", (event) => this.onKey(event));
    this.textbox.addEventListener("input", () => this.onInput());
    this.textbox.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (withFiles && files.length > 0) {
        event.preventDefault();
        this.addFiles(files);
      }
    });
    this.element = form;
  }

  focus(): void {
    this.textbox.focus();
  }

  /// Uploads files one after the other, each shown as a progress bar named by its file name.
  addFiles(files: File[]): void {
    for (const file of files) {
      const bar = h("progress", { max: 1, value: 0, "aria-label": file.name });
      const row = h("div", { className: "upload" }, h("span", {}, file.name), bar);
      this.uploads.append(row);
      this.pendingUploads += 1;
      this.hooks
        .upload(file, (fraction) => (bar.value = fraction))
        .then((id) => {
          this.attachmentIds.push(id);
          row.replaceChildren(h("span", { className: "uploaded" }, t("composer.uploaded", { name: file.name })));
        })
        .catch((error: unknown) => {
          row.remove();
          this.hooks.showError(t("composer.uploadError", { name: file.name, error: describeError(error) }));
        })
        .finally(() => {
          this.pendingUploads -= 1;
          // A message written before its files finished goes once they are up.
          if (this.pendingUploads === 0 && this.sendWhenUploaded) this.submit();
        });
    }
  }

  private sendWhenUploaded = false;

  /// The text goes to "Schedule message"; the box empties once it is scheduled.
  private sendLater(): void {
    this.hooks.sendLater?.(this.textbox.value.trim(), () => {
      this.textbox.value = "";
      this.resize();
      this.stopTyping();
    });
  }

  private submit(): void {
    const content = this.textbox.value.trim();
    if (this.editing) {
      const id = this.editing;
      if (!content) return;
      this.hooks.saveEdit(id, content).then(() => this.cancelEdit(), (error: unknown) => this.hooks.showError(describeError(error)));
      return;
    }
    if (this.pendingUploads > 0) {
      this.sendWhenUploaded = true;
      return;
    }
    this.sendWhenUploaded = false;
    if (!content && this.attachmentIds.length === 0) return;
    this.hooks.send(content, this.attachmentIds);
    this.attachmentIds = [];
    this.uploads.textContent = "";
    this.textbox.value = "";
    this.resize();
    this.stopTyping();
  }

  private onKey(event: KeyboardEvent): void {
    if (this.mentions.handleKey(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    } else if (event.key === "ArrowUp" && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && this.textbox.value === "" && !this.editing) {
      const last = this.hooks.lastOwn();
      if (last) {
        event.preventDefault();
        this.startEdit(last.id, last.content);
      }
    } else if (event.key === "Escape" && this.editing) {
      event.preventDefault();
      this.cancelEdit();
    }
  }

  startEdit(messageId: string, content: string): void {
    this.editing = messageId;
    this.editHint.hidden = false;
    this.textbox.value = content;
    this.resize();
    this.textbox.focus();
    this.textbox.setSelectionRange(content.length, content.length);
  }

  private cancelEdit(): void {
    this.editing = null;
    this.editHint.hidden = true;
    this.textbox.value = "";
    this.resize();
  }

  private onInput(): void {
    this.resize();
    if (this.editing) return;
    if (this.textbox.value.trim() === "") {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (now - this.typingSentAt > typingRepeatMs) {
      this.typingSentAt = now;
      this.hooks.typing(true);
    }
    if (this.idleTimer !== null) window.clearTimeout(this.idleTimer);
    this.idleTimer = window.setTimeout(() => this.stopTyping(), typingIdleMs);
  }

  private stopTyping(): void {
    if (this.idleTimer !== null) window.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.typingSentAt !== 0) {
      this.typingSentAt = 0;
      this.hooks.typing(false);
    }
  }

  private resize(): void {
    this.textbox.style.height = "auto";
    this.textbox.style.height = `${Math.min(this.textbox.scrollHeight + 2, 200)}px`;
    this.textbox.style.overflowY = this.textbox.scrollHeight > 200 ? "auto" : "hidden";
  }
}
