// Messages for later (UI.md "Organising and sharing"): "Send later" in the composer opens the
// dialog "Schedule message" (the text, a date-time "Send at" in this browser's time, button
// "Schedule"); "Scheduled messages" lists the viewer's own in the room, waiting or failed, each
// with "Edit" and "Cancel".
import { describeError, type ApiClient } from "../api/client";
import type { ScheduledMessage } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import { inAnHour, localInputValue } from "../state/schedule";
import { openDialog } from "./dialog";
import { field, h, replaceChildren, showOnField, whileBusy } from "./dom";

/// A scheduled message's time as the app shows it: "Dec 8, 2026, 9:30 AM".
export const scheduledTime = (iso: string) => dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

/// "Schedule message" for new text (`existing` absent) or a change of one waiting. `saved` gets
/// the message as the server has it now.
export function scheduleDialog(
  api: ApiClient,
  roomId: string,
  draft: { content: string; sendAt: Date; existing?: ScheduledMessage },
  saved: (message: ScheduledMessage) => void,
): void {
  const dialog = openDialog(t("scheduled.schedule"));
  const content = h("textarea", { name: "content", rows: 3, maxlength: 10000, required: true });
  content.value = draft.content;
  const sendAt = h("input", { type: "datetime-local", name: "send_at", step: 1, required: true });
  sendAt.value = localInputValue(draft.sendAt);
  const fields = { content: field(t("scheduled.content"), content), send_at: field(t("scheduled.sendAt"), sendAt) };
  const formError = h("p", { className: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "primary" }, t("scheduled.submit"));
  const form = h("form", { novalidate: true }, fields.content.wrapper, fields.send_at.wrapper, formError, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const entry of Object.values(fields)) entry.showError(null);
    formError.textContent = "";
    const time = new Date(sendAt.value);
    if (!sendAt.value || Number.isNaN(time.getTime())) {
      fields.send_at.showError(t("scheduled.pickTime"));
      return;
    }
    const body = { content: content.value.trim(), send_at: time.toISOString() };
    await whileBusy(
      submit,
      async () => {
        const message = draft.existing
          ? await api.patch<ScheduledMessage>(`/scheduled-messages/${draft.existing.id}`, body)
          : await api.post<ScheduledMessage>(`/rooms/${roomId}/scheduled-messages`, body);
        dialog.close();
        saved(message);
      },
      (error) => {
        if (!showOnField(error, fields)) formError.textContent = describeError(error);
      },
    );
  });
  dialog.body.append(form);
}

/// "Scheduled messages": the viewer's own in the room not sent yet, soonest first, with "Edit"
/// and "Cancel"; a failed one says why.
export function scheduledListDialog(api: ApiClient, roomId: string, failed: (message: string) => void): void {
  const dialog = openDialog(t("scheduled.list"));
  const list = h("ul", { className: "scheduled-list", "aria-label": t("scheduled.list") });
  const status = h("p", { role: "status", className: "hint" }, t("common.loading"));
  const render = (messages: ScheduledMessage[]) => {
    status.textContent = messages.length === 0 ? t("scheduled.none") : "";
    replaceChildren(
      list,
      messages.map((message) =>
        h(
          "li",
          { className: `scheduled ${message.status}` },
          h("p", { className: "scheduled-when" }, message.status === "failed" ? t("scheduled.failedAt", { time: scheduledTime(message.send_at) }) : scheduledTime(message.send_at)),
          h("p", { className: "scheduled-content" }, message.content),
          message.failure ? h("p", { className: "form-error" }, message.failure) : null,
          h(
            "div",
            { className: "scheduled-actions" },
            h("button", { type: "button", onclick: () => edit(message) }, t("scheduled.edit")),
            h("button", { type: "button", className: "danger", onclick: () => cancel(message) }, t("scheduled.cancel")),
          ),
        ),
      ),
    );
  };
  const load = () =>
    api.get<{ scheduled_messages: ScheduledMessage[] }>(`/rooms/${roomId}/scheduled-messages`).then(
      (reply) => render(reply.scheduled_messages),
      (error) => (status.textContent = describeError(error)),
    );
  const edit = (message: ScheduledMessage) => {
    // A failed one's time has passed: an hour from now is offered instead.
    const sendAt = message.status === "failed" ? inAnHour() : new Date(message.send_at);
    scheduleDialog(api, roomId, { content: message.content, sendAt, existing: message }, () => void load());
  };
  const cancel = (message: ScheduledMessage) => {
    api.delete(`/scheduled-messages/${message.id}`).then(load, (error) => failed(describeError(error)));
  };
  dialog.body.append(status, list);
  void load();
}
