// The room's pinned messages (UI.md "Pin"): the complementary panel "Pinned messages", each pin
// linking to its message in the log, and "Unpin" for the room's owner and admins.
import { describeError, type ApiClient } from "../api/client";
import type { Message } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import { h, replaceChildren } from "./dom";

/// Fills `panel` with the room's pins as the server has them now.
export async function renderPins(panel: HTMLElement, api: ApiClient, roomId: string, canUnpin: boolean): Promise<void> {
  const heading = h("header", { className: "panel-header" }, h("h2", {}, t("pins.title")));
  try {
    const reply = await api.get<{ messages: Message[] }>(`/rooms/${roomId}/pins`);
    const error = h("p", { className: "form-error", role: "alert" });
    const items = reply.messages.map((message) => {
      const unpin = canUnpin
        ? h("button", {
            type: "button",
            className: "link",
            "aria-label": t("pins.unpinNamed", { name: message.sender?.display_name ?? "" }),
            onclick: () => api.delete(`/rooms/${roomId}/pins/${message.id}`).catch((failure) => (error.textContent = describeError(failure))),
          }, t("pins.unpin"))
        : null;
      return h(
        "li",
        { className: "pin" },
        h(
          "a",
          { href: `#/rooms/${encodeURIComponent(roomId)}?message=${encodeURIComponent(message.id)}` },
          h("strong", {}, message.sender?.display_name ?? ""),
          " ",
          h("time", { datetime: message.created_at }, dateTime(new Date(message.created_at), { dateStyle: "medium" })),
          message.deleted ? h("span", { className: "pin-text" }, t("pins.deleted")) : pinText(message),
        ),
        unpin,
      );
    });
    replaceChildren(panel, heading, items.length ? h("ul", { className: "pins" }, items) : h("p", { className: "hint" }, t("pins.none")), error);
  } catch (failure) {
    replaceChildren(panel, heading, h("p", { role: "alert" }, describeError(failure)));
  }
}

/// The pinned message as the log shows it: `content_html` is rendered and sanitised by the
/// server (API.md: "safe to insert").
function pinText(message: Message): HTMLElement {
  const text = h("span", { className: "pin-text" });
  text.innerHTML = message.content_html;
  return text;
}
