// Modal dialogs (UI.md "Dialogs"): role dialog named by its title, focus moved in and trapped,
// Escape or the close button closes, and focus goes back to what opened it.
import { t } from "../i18n/i18n";
import { h, uniqueId } from "./dom";

export interface Dialog {
  element: HTMLElement;
  body: HTMLElement;
  close(): void;
}

export function openDialog(title: string, onClose: () => void = () => {}): Dialog {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = uniqueId("dialog-title");
  const body = h("div", { className: "dialog-body" });
  const closeButton = h("button", { type: "button", className: "icon-button", "aria-label": t("common.close") }, "×");
  const element = h(
    "div",
    { role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, className: "dialog" },
    h("header", { className: "dialog-header" }, h("h2", { id: titleId }, title), closeButton),
    body,
  );
  const backdrop = h("div", { className: "backdrop" }, element);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    backdrop.remove();
    document.removeEventListener("keydown", onKey, true);
    onClose();
    opener?.focus();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      const focusable = [...element.querySelectorAll<HTMLElement>("button, input, select, textarea, a[href], [tabindex='0']")].filter(
        (candidate) => !candidate.hasAttribute("disabled") && candidate.offsetParent !== null,
      );
      if (focusable.length === 0) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  closeButton.addEventListener("click", close);
  backdrop.addEventListener("mousedown", (event) => {
    if (event.target === backdrop) close();
  });
  document.addEventListener("keydown", onKey, true);
  document.body.appendChild(backdrop);
  queueMicrotask(() => (element.querySelector<HTMLElement>("input, textarea, select, button:not(.icon-button)") ?? closeButton).focus());
  return { element, body, close };
}
