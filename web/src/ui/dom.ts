// A small DOM builder: `h("button", {type: "button", onclick}, "Send")`. Attributes are set as
// attributes (strings, booleans, `aria-*`), `on*` functions become listeners, and children are
// nodes or text (never HTML: the only HTML the app inserts is the server's `content_html`).
import { ApiError, describeError } from "../api/client";
import { dateTime, number, t } from "../i18n/i18n";

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener | ((event: any) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value as EventListener);
    } else if (name === "className") {
      element.className = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/// Whether a key pressed on `target` is typing (a field or editable text), not a shortcut.
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.textContent = "";
  append(parent, children);
}

/// Runs `work` with `button` disabled, so a form is not sent twice meanwhile; a failure goes to
/// `failed` (to be shown next to the form).
export async function whileBusy(button: HTMLButtonElement, work: () => Promise<void>, failed: (error: unknown) => void): Promise<void> {
  button.disabled = true;
  try {
    await work();
  } catch (error) {
    failed(error);
  } finally {
    button.disabled = false;
  }
}

let nextId = 0;
/// A unique element id, for `aria-labelledby`, `aria-describedby` and labels.
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/// A labelled form field: `<label for>` + input, with an error line tied by `aria-describedby`.
export function field(label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): { wrapper: HTMLElement; showError(message: string | null): void } {
  input.id ||= uniqueId("field");
  const error = h("p", { className: "field-error", id: uniqueId("error"), hidden: true });
  const wrapper = h("div", { className: "field" }, h("label", { for: input.id }, label), input, error);
  return {
    wrapper,
    showError(message) {
      error.textContent = message ?? "";
      error.hidden = !message;
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    },
  };
}

/// Shows an API error under the form's field it names (`details.field`); false when the form
/// has no such field, for the caller to show it elsewhere.
export function showOnField(error: unknown, fields: Record<string, { showError(message: string | null): void }>): boolean {
  const target = error instanceof ApiError && error.field ? fields[error.field] : undefined;
  target?.showError(describeError(error));
  return target !== undefined;
}

/// "12:04": a message's time in the UI language (its day is the separator above it).
export function shortTime(iso: string): string {
  return dateTime(new Date(iso), { hour: "2-digit", minute: "2-digit" });
}

/// The full date and time, for a `<time>`'s title.
export function longDateTime(iso: string): string {
  return dateTime(new Date(iso), { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const day = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const days = Math.round((today.getTime() - day.getTime()) / 86_400_000);
  if (days === 0) return t("dom.today");
  if (days === 1) return t("dom.yesterday");
  return dateTime(date, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
}

export function sameDay(a: string, b: string): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

export function fileSize(bytes: number): string {
  const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (bytes < 1024) return t("dom.bytes", { size: number(bytes) });
  if (bytes < 1024 * 1024) return t("dom.kilobytes", { size: number(bytes / 1024, oneDecimal) });
  return t("dom.megabytes", { size: number(bytes / 1024 / 1024, oneDecimal) });
}
