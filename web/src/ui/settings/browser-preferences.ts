// The settings page's sub-sections for this browser's own preferences (state/preferences.ts),
// applied at once and kept in this browser only: "Appearance" (theme, font size), "Language",
// "Notifications" (desktop notifications, on only with the browser's permission) and "Calls"
// (always relay).
import type { MessageKey } from "../../i18n/en";
import { languages, t } from "../../i18n/i18n";
import { fontSizes, themes, uiLanguage, type FontSize, type Theme } from "../../state/preferences";
import { field, h, uniqueId } from "../dom";
import { statusLine, subSection, type Context } from "./common";

// Appearance: theme and font size, applied at once and kept in this browser.

const themeKeys: Record<Theme, MessageKey> = {
  system: "settings.appearance.system",
  light: "settings.appearance.light",
  dark: "settings.appearance.dark",
};

const fontSizeKeys: Record<FontSize, MessageKey> = {
  small: "settings.appearance.small",
  medium: "settings.appearance.medium",
  large: "settings.appearance.large",
  larger: "settings.appearance.larger",
};

/// A fieldset of radios named by `legend`, one per value; `chosen` gets each new choice.
function radioGroup<T extends string>(legend: string, values: readonly T[], labelOf: (value: T) => string, current: T, chosen: (value: T) => void): HTMLElement {
  const name = uniqueId("choice");
  return h(
    "fieldset",
    { className: "choices" },
    h("legend", {}, legend),
    values.map((value) => {
      const radio = h("input", { type: "radio", name, value, checked: value === current });
      radio.addEventListener("change", () => {
        if (radio.checked) chosen(value);
      });
      return h("label", { className: "choice" }, radio, h("span", {}, labelOf(value)));
    }),
  );
}

export function appearanceSection(context: Context): HTMLElement {
  const { preferences } = context.deps;
  const current = preferences.get();
  return subSection(
    t("settings.appearance.title"),
    radioGroup(t("settings.appearance.theme"), themes, (theme) => t(themeKeys[theme]), current.theme, (theme) => preferences.set({ ...preferences.get(), theme })),
    radioGroup(t("settings.appearance.fontSize"), fontSizes, (size) => t(fontSizeKeys[size]), current.fontSize, (fontSize) => preferences.set({ ...preferences.get(), fontSize })),
    h("p", { className: "hint" }, t("settings.appearance.hint")),
  );
}

// Language: the browser's, or one of `languages` by its own name.

export function languageSection(context: Context): HTMLElement {
  const { preferences } = context.deps;
  const select = h(
    "select",
    { name: "language" },
    h("option", { value: "" }, t("settings.language.browser")),
    languages.map((entry) => h("option", { value: entry.code, lang: entry.code }, entry.name)),
  );
  select.value = preferences.get().language ?? "";
  select.addEventListener("change", () => {
    const next = { ...preferences.get(), language: select.value || null };
    preferences.set(next);
    context.deps.onLanguageChanged(uiLanguage(next));
  });
  return subSection(t("settings.language.title"), field(t("settings.language.label"), select).wrapper);
}

// Desktop notifications: on only with the browser's permission, asked on the click itself.

export function notificationsSection(context: Context): HTMLElement {
  const { preferences } = context.deps;
  const supported = typeof Notification !== "undefined";
  const checkbox = h("input", { type: "checkbox", name: "desktop_notifications", disabled: !supported });
  checkbox.checked = supported && preferences.get().desktopNotifications && Notification.permission === "granted";
  const feedback = statusLine();
  const store = (on: boolean) => preferences.set({ ...preferences.get(), desktopNotifications: on });
  if (!supported) feedback.say(t("settings.notifications.unsupported"));
  else if (Notification.permission === "denied" && preferences.get().desktopNotifications) feedback.fail(t("settings.notifications.denied"));
  checkbox.addEventListener("change", () => {
    feedback.clear();
    if (!checkbox.checked) {
      store(false);
      return;
    }
    if (Notification.permission === "granted") {
      store(true);
      return;
    }
    // Asked here, within the click: browsers ask people only in answer to what they did.
    const asked = Notification.requestPermission();
    checkbox.disabled = true;
    asked.then(
      (answer) => {
        checkbox.disabled = false;
        checkbox.checked = answer === "granted";
        store(answer === "granted");
        if (answer === "denied") feedback.fail(t("settings.notifications.denied"));
        else if (answer !== "granted") feedback.fail(t("settings.notifications.dismissed"));
      },
      () => {
        checkbox.disabled = false;
        checkbox.checked = false;
        store(false);
        feedback.fail(t("settings.notifications.dismissed"));
      },
    );
  });
  return subSection(
    t("settings.notifications.title"),
    h("label", { className: "choice" }, checkbox, h("span", {}, t("settings.notifications.desktop"))),
    h("p", { className: "hint" }, t("settings.notifications.hint")),
    feedback.element,
  );
}

// Calls: media always through the TURN relay, so the other end never sees this browser's addresses.

export function callsSection(context: Context): HTMLElement {
  const { preferences } = context.deps;
  const checkbox = h("input", { type: "checkbox", name: "relay_calls", checked: preferences.get().relayCalls });
  checkbox.addEventListener("change", () => preferences.set({ ...preferences.get(), relayCalls: checkbox.checked }));
  return subSection(
    t("settings.calls.title"),
    h("label", { className: "choice" }, checkbox, h("span", {}, t("settings.calls.relay"))),
    h("p", { className: "hint" }, t("settings.calls.hint")),
  );
}
