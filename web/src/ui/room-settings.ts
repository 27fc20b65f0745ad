// The dialog "Room settings" for a room's owner and admins: name, description and password;
// invite links (create with expiry and use limit, copy, revoke); bans (unban); the reports
// queue (resolve, dismiss); and for the owner, transfer ownership and delete the room. Every
// refused action shows the API's reason next to it.
import { describeError, type ApiClient } from "../api/client";
import type { Invite, Member, Message, Room, User } from "../api/types";
import type { MessageKey } from "../i18n/en";
import { dateTime, t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { field, h, replaceChildren, whileBusy } from "./dom";

export interface RoomSettingsDeps {
  api: ApiClient;
  room: Room;
  me: User;
  members(): Member[];
  updated(room: Room): void;
  deleted(room: Room): void;
}

interface Ban {
  user: User;
  reason: string | null;
  created_at: string;
}

interface Report {
  id: string;
  message: Message;
  reporter: User | null;
  reason: string;
  status: "open" | "resolved" | "dismissed";
  created_at: string;
}

export function openRoomSettings(deps: RoomSettingsDeps): void {
  const dialog = openDialog(t("roomSettings.title"));
  dialog.element.classList.add("wide");
  const owner = deps.room.my_role === "owner";
  dialog.body.append(generalSection(deps), inviteSection(deps), bansSection(deps), reportsSection(deps, dialog.close));
  if (owner) dialog.body.append(ownerSection(deps, dialog.close));
}

function section(title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { className: "settings-section" }, h("h3", {}, title), ...children);
}

function errorLine(): HTMLElement {
  return h("p", { className: "form-error", role: "alert" });
}

function generalSection(deps: RoomSettingsDeps): HTMLElement {
  const room = deps.room;
  const name = h("input", { value: room.name, maxlength: 100, required: true });
  const description = h("textarea", { rows: 2, maxlength: 1000 });
  description.value = room.description ?? "";
  const nameField = field(t("roomSettings.name"), name);
  const descriptionField = field(t("roomSettings.description"), description);
  const password = h("input", { type: "password", autocomplete: "new-password" });
  const passwordField = field(t("roomSettings.password"), password);
  const removePassword = h("input", { type: "checkbox" });
  const save = h("button", { type: "submit", className: "primary" }, t("roomSettings.save"));
  const saved = h("p", { role: "status", className: "hint" });
  const error = errorLine();
  const form = h(
    "form",
    { "aria-label": t("roomSettings.general") },
    nameField.wrapper,
    descriptionField.wrapper,
    room.type === "public" ? passwordField.wrapper : null,
    room.type === "public" && room.has_password ? h("label", { className: "check" }, removePassword, " ", t("roomSettings.removePassword")) : null,
    save,
    saved,
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = saved.textContent = "";
    nameField.showError(null);
    const body: Record<string, unknown> = {};
    if (name.value.trim() !== room.name) body.name = name.value.trim();
    if (description.value.trim() !== (room.description ?? "")) body.description = description.value.trim() || null;
    if (removePassword.checked) body.password = null;
    else if (password.value) body.password = password.value;
    void whileBusy(
      save,
      async () => {
        const updated = await deps.api.put<Room>(`/rooms/${room.id}`, body);
        Object.assign(room, updated);
        password.value = "";
        saved.textContent = t("roomSettings.saved");
        deps.updated(updated);
      },
      (failure) => {
        const message = describeError(failure);
        const fieldName = (failure as { field?: string | null }).field;
        if (fieldName === "name") nameField.showError(message);
        else if (fieldName === "description") descriptionField.showError(message);
        else if (fieldName === "password") passwordField.showError(message);
        else error.textContent = message;
      },
    );
  });
  return section(t("roomSettings.general"), form);
}

const expiries: [MessageKey, number][] = [
  ["roomSettings.expiresHour", 3600],
  ["roomSettings.expiresDay", 86_400],
  ["roomSettings.expiresWeek", 604_800],
  ["roomSettings.expiresMonth", 2_592_000],
  ["roomSettings.expiresYear", 31_536_000],
];

function inviteSection(deps: RoomSettingsDeps): HTMLElement {
  const list = h("ul", { className: "settings-list", "aria-label": t("roomSettings.inviteLinks") });
  const error = errorLine();
  const expiry = h("select", {}, expiries.map(([key, seconds]) => h("option", { value: String(seconds), selected: seconds === 604_800 }, t(key))));
  const maxUses = h("input", { type: "number", min: 1, max: 100_000, placeholder: t("roomSettings.unlimited") });
  const create = h("button", { type: "button" }, t("roomSettings.createInvite"));
  const load = async () => {
    const reply = await deps.api.get<{ invites: Invite[] }>(`/rooms/${deps.room.id}/invites?limit=100`);
    const live = reply.invites.filter((invite) => !invite.revoked);
    replaceChildren(list, live.length === 0 ? h("li", { className: "hint" }, t("roomSettings.noInvites")) : live.map((invite) => inviteRow(deps, invite, load, error)));
  };
  create.addEventListener("click", () =>
    void whileBusy(
      create,
      async () => {
        error.textContent = "";
        await deps.api.post(`/rooms/${deps.room.id}/invites`, { expires_in_seconds: Number(expiry.value), max_uses: maxUses.value ? Number(maxUses.value) : null });
        maxUses.value = "";
        await load();
      },
      (failure) => (error.textContent = describeError(failure)),
    ),
  );
  load().catch((failure) => (error.textContent = describeError(failure)));
  return section(
    t("roomSettings.inviteLinks"),
    h("div", { className: "inline-form" }, field(t("roomSettings.expiresAfter"), expiry).wrapper, field(t("roomSettings.maxUses"), maxUses).wrapper, create),
    list,
    error,
  );
}

function inviteRow(deps: RoomSettingsDeps, invite: Invite, reload: () => Promise<void>, error: HTMLElement): HTMLElement {
  const url = `${location.origin}/#/invite/${encodeURIComponent(invite.code)}`;
  const uses = invite.max_uses === null ? t("roomSettings.usesUnlimited", { count: invite.uses }) : t("roomSettings.usesLimited", { count: invite.uses, max: invite.max_uses });
  const expires = invite.expires_at ? t("roomSettings.expiresOn", { date: dateTime(new Date(invite.expires_at), { dateStyle: "medium", timeStyle: "short" }) }) : "";
  const copy = h("button", { type: "button", "aria-label": t("roomSettings.copyInviteNamed", { code: invite.code }) }, t("roomSettings.copy"));
  copy.addEventListener("click", () => navigator.clipboard?.writeText(url).then(() => (copy.textContent = t("roomSettings.copied")), () => (error.textContent = url)));
  const revoke = h("button", { type: "button", "aria-label": t("roomSettings.revokeInviteNamed", { code: invite.code }) }, t("roomSettings.revoke"));
  revoke.addEventListener("click", () =>
    void whileBusy(
      revoke,
      async () => {
        await deps.api.delete(`/invites/${encodeURIComponent(invite.code)}`);
        await reload();
      },
      (failure) => (error.textContent = describeError(failure)),
    ),
  );
  return h("li", { className: "settings-row" }, h("code", { className: "invite-url" }, url), h("span", { className: "hint" }, [uses, expires].filter(Boolean).join(" · ")), copy, revoke);
}

function bansSection(deps: RoomSettingsDeps): HTMLElement {
  const list = h("ul", { className: "settings-list", "aria-label": t("roomSettings.bans") });
  const error = errorLine();
  const load = async () => {
    const reply = await deps.api.get<{ bans: Ban[] }>(`/rooms/${deps.room.id}/bans?limit=100`);
    replaceChildren(
      list,
      reply.bans.length === 0
        ? h("li", { className: "hint" }, t("roomSettings.noBans"))
        : reply.bans.map((ban) => {
            const unban = h("button", { type: "button", "aria-label": t("roomSettings.unbanNamed", { name: ban.user.display_name }) }, t("roomSettings.unban"));
            unban.addEventListener("click", () =>
              void whileBusy(
                unban,
                async () => {
                  await deps.api.delete(`/rooms/${deps.room.id}/bans/${ban.user.id}`);
                  await load();
                },
                (failure) => (error.textContent = describeError(failure)),
              ),
            );
            return h("li", { className: "settings-row" }, h("strong", {}, ban.user.display_name), h("span", { className: "hint" }, ban.reason ? t("roomSettings.banReason", { reason: ban.reason }) : t("roomSettings.noReason")), unban);
          }),
    );
  };
  load().catch((failure) => (error.textContent = describeError(failure)));
  return section(t("roomSettings.bans"), list, error);
}

function reportsSection(deps: RoomSettingsDeps, closeDialog: () => void): HTMLElement {
  const list = h("ul", { className: "settings-list", "aria-label": t("roomSettings.reports") });
  const error = errorLine();
  const load = async () => {
    const reply = await deps.api.get<{ reports: Report[] }>(`/rooms/${deps.room.id}/reports?status=open&limit=100`);
    replaceChildren(list, reply.reports.length === 0 ? h("li", { className: "hint" }, t("roomSettings.noReports")) : reply.reports.map((report) => reportRow(deps, report, load, error, closeDialog)));
  };
  load().catch((failure) => (error.textContent = describeError(failure)));
  return section(t("roomSettings.reports"), list, error);
}

function reportRow(deps: RoomSettingsDeps, report: Report, reload: () => Promise<void>, error: HTMLElement, closeDialog: () => void): HTMLElement {
  const decide = (status: "resolved" | "dismissed", label: string) => {
    const button = h("button", { type: "button" }, label);
    button.addEventListener("click", () =>
      void whileBusy(
        button,
        async () => {
          await deps.api.patch(`/reports/${report.id}`, { status });
          await reload();
        },
        (failure) => (error.textContent = describeError(failure)),
      ),
    );
    return button;
  };
  const author = report.message.sender?.display_name ?? "";
  return h(
    "li",
    { className: "settings-row report" },
    h("blockquote", {}, h("strong", {}, author), " ", report.message.deleted ? t("roomSettings.deletedMessage") : report.message.content),
    h("p", { className: "hint" }, t("roomSettings.reportedBy", { name: report.reporter?.display_name ?? "?", reason: report.reason })),
    h("a", { href: `#/rooms/${encodeURIComponent(report.message.room_id)}?message=${encodeURIComponent(report.message.id)}`, onclick: closeDialog }, t("roomSettings.showMessage")),
    decide("resolved", t("roomSettings.resolve")),
    decide("dismissed", t("roomSettings.dismiss")),
  );
}

function ownerSection(deps: RoomSettingsDeps, closeDialog: () => void): HTMLElement {
  const candidates = deps.members().filter((member) => member.user.id !== deps.me.id);
  const successor = h("select", {}, candidates.map((member) => h("option", { value: member.user.id }, member.user.display_name)));
  const transfer = h("button", { type: "button", disabled: candidates.length === 0 }, t("roomSettings.transfer"));
  const remove = h("button", { type: "button", className: "danger" }, t("roomSettings.delete"));
  const error = errorLine();
  transfer.addEventListener("click", () => {
    const member = candidates.find((candidate) => candidate.user.id === successor.value);
    if (!member || !window.confirm(t("roomSettings.transferConfirm", { name: member.user.display_name, room: deps.room.name }))) return;
    void whileBusy(
      transfer,
      async () => {
        await deps.api.patch(`/rooms/${deps.room.id}/members/${member.user.id}/role`, { role: "owner" });
        deps.updated({ ...deps.room, my_role: "admin" });
        closeDialog();
      },
      (failure) => (error.textContent = describeError(failure)),
    );
  });
  remove.addEventListener("click", () => {
    if (window.prompt(t("roomSettings.deleteConfirm", { room: deps.room.name })) !== deps.room.name) return;
    void whileBusy(
      remove,
      async () => {
        await deps.api.delete(`/rooms/${deps.room.id}`);
        closeDialog();
        deps.deleted(deps.room);
      },
      (failure) => (error.textContent = describeError(failure)),
    );
  });
  return section(t("roomSettings.ownership"), h("div", { className: "inline-form" }, field(t("roomSettings.newOwner"), successor).wrapper, transfer), h("p", {}, remove), error);
}
