// The dialog "Read by": who read one of the viewer's messages, and when
// (`GET /messages/:id/receipts`, for the sender and the room's admins).
import { describeError, type ApiClient } from "../api/client";
import type { User } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { h, replaceChildren } from "./dom";

export function openReaders(api: ApiClient, messageId: string): void {
  const dialog = openDialog(t("readers.title"));
  const status = h("p", { role: "status" }, t("common.loading"));
  dialog.body.append(status);
  api.get<{ read_by: { user: User; read_at: string }[] }>(`/messages/${encodeURIComponent(messageId)}/receipts`).then(
    (reply) =>
      replaceChildren(
        dialog.body,
        h(
          "ul",
          { className: "settings-list", "aria-label": t("readers.title") },
          reply.read_by.map((reader) =>
            h(
              "li",
              { className: "settings-row" },
              h("strong", {}, reader.user.display_name),
              h("time", { datetime: reader.read_at, className: "hint" }, dateTime(new Date(reader.read_at), { dateStyle: "medium", timeStyle: "short" })),
            ),
          ),
        ),
      ),
    (error) => (status.textContent = describeError(error)),
  );
}
