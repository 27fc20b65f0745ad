// The settings page's "Sessions" sub-section: where the user is signed in (device, when signed
// in, last active), signing out one session or every one but this; with the two pure helpers
// that describe a session, `deviceName` and `relativeTime`.
import { ApiError, describeError } from "../../api/client";
import { dateTime, language, t } from "../../i18n/i18n";
import { h, replaceChildren, uniqueId, whileBusy } from "../dom";
import { statusLine, subSection, type Context } from "./common";

/// A signed-in session (API.md "Sessions").
interface SessionInfo {
  id: string;
  created_at: string;
  last_used_at: string;
  user_agent: string | null;
  current: boolean;
}

export function sessionsSection(context: Context): HTMLElement {
  const list = h("ul", { className: "session-list", "aria-label": t("settings.sessions.list") });
  const feedback = statusLine();
  const others = h("button", { type: "button" }, t("settings.sessions.signOutOthers"));
  others.addEventListener("click", () => {
    feedback.clear();
    void whileBusy(
      others,
      async () => {
        await context.deps.api.delete("/auth/sessions");
        feedback.say(t("settings.sessions.signedOutOthers"));
        context.deps.onOtherSessionsEnded?.();
        await load();
      },
      (error) => feedback.fail(describeError(error)),
    );
  });

  const item = (session: SessionInfo) => {
    const nameId = uniqueId("session");
    const used = new Date(session.last_used_at);
    const created = new Date(session.created_at);
    const signOut = session.current ? null : h("button", { type: "button", "aria-describedby": nameId }, t("settings.sessions.signOut"));
    const row = h(
      "li",
      { className: session.current ? "session current" : "session" },
      h(
        "div",
        { className: "session-text" },
        h("span", { className: "session-device", id: nameId }, deviceName(session.user_agent) ?? t("settings.sessions.unknownDevice")),
        session.current ? [" ", h("span", { className: "session-current" }, t("settings.sessions.thisDevice"))] : null,
        h(
          "p",
          { className: "hint" },
          t("settings.sessions.signedIn"),
          " ",
          h("time", { datetime: session.created_at }, dateTime(created, { dateStyle: "medium", timeStyle: "short" })),
          " · ",
          t("settings.sessions.lastActive"),
          " ",
          h("time", { datetime: session.last_used_at, title: dateTime(used, { dateStyle: "medium", timeStyle: "short" }) }, relativeTime(used)),
        ),
      ),
      signOut,
    );
    signOut?.addEventListener("click", () => {
      feedback.clear();
      void whileBusy(
        signOut,
        async () => {
          await context.deps.api.delete(`/auth/sessions/${encodeURIComponent(session.id)}`);
          row.remove();
          feedback.say(t("settings.sessions.signedOutOne"));
        },
        (error) => {
          if (error instanceof ApiError && error.status === 404) row.remove(); // already over
          else feedback.fail(describeError(error));
        },
      );
    });
    return row;
  };

  const load = async () => {
    try {
      const reply = await context.deps.api.get<{ sessions: SessionInfo[] }>("/auth/sessions");
      // This device first, then the others as the API orders them (newest first).
      const sessions = [...reply.sessions].sort((a, b) => Number(b.current) - Number(a.current));
      replaceChildren(list, sessions.map(item));
    } catch (error) {
      feedback.fail(describeError(error));
    }
  };
  context.refreshSessions = () => void load();
  list.append(h("li", { className: "hint" }, t("common.loading")));
  void load();
  return subSection(t("settings.sessions.title"), h("p", { className: "hint" }, t("settings.sessions.intro")), list, feedback.element, h("div", { className: "settings-actions" }, others));
}

/// "Chrome on Linux" from a User-Agent; a non-browser client by its first product token; null
/// when nothing can be said.
export function deviceName(userAgent: string | null): string | null {
  if (!userAgent || !userAgent.trim()) return null;
  const ua = userAgent;
  const browsers: [RegExp, string][] = [
    [/\bEdg(e|A|iOS)?\//, "Edge"],
    [/\b(OPR|Opera)\//, "Opera"],
    [/\bSamsungBrowser\//, "Samsung Internet"],
    [/\b(Firefox|FxiOS)\//, "Firefox"],
    [/\b(Chrome|Chromium|CriOS|HeadlessChrome)\//, "Chrome"],
    [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  ];
  const systems: [RegExp, string][] = [
    [/\bWindows\b/, "Windows"],
    [/\biPhone\b/, "iOS"],
    [/\biPad\b/, "iPadOS"],
    [/\bAndroid\b/, "Android"],
    [/\bCrOS\b/, "ChromeOS"],
    [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
    [/\bLinux\b/, "Linux"],
  ];
  const browser = browsers.find(([pattern]) => pattern.test(ua))?.[1];
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return t("settings.sessions.device", { browser, os: system });
  if (browser || system) return (browser ?? system)!;
  const product = ua.trim().split(/[\s/]/)[0];
  return product.length > 40 ? product.slice(0, 40) + "…" : product;
}

/// "just now", "5 minutes ago", "yesterday"; a date beyond a week.
export function relativeTime(date: Date, now: Date = new Date()): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 90) return t("settings.sessions.justNow");
  const format = new Intl.RelativeTimeFormat(language(), { numeric: "auto" });
  const minutes = seconds / 60;
  if (Math.abs(minutes) < 60) return format.format(Math.round(minutes), "minute");
  const hours = minutes / 60;
  if (Math.abs(hours) < 24) return format.format(Math.round(hours), "hour");
  const days = hours / 24;
  if (Math.abs(days) < 7) return format.format(Math.round(days), "day");
  return dateTime(date, { dateStyle: "medium" });
}
