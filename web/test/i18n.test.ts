import assert from "node:assert/strict";
import { test } from "node:test";
import { en } from "../src/i18n/en";
import { language, languages, preferredLanguage, setLanguage, t, type Catalog, type Message } from "../src/i18n/i18n";
import { typingText } from "../src/state/typing";
import { dayLabel, fileSize } from "../src/ui/dom";

/// The `{placeholders}` of a message (of all its plural forms), sorted.
function placeholders(message: Message): string[] {
  const texts = typeof message === "string" ? [message] : Object.values(message).filter((text): text is string => typeof text === "string");
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1])))].sort();
}

const pluralForms = ["zero", "one", "two", "few", "many", "other"];

for (const entry of languages) {
  test(`${entry.code} (${entry.name}) has exactly English's keys, placeholders and the plural forms it needs`, async () => {
    const catalog: Catalog = await entry.load();
    const keys = Object.keys(catalog).sort();
    const english = Object.keys(en).sort();
    assert.deepEqual(keys.filter((key) => !(key in en)), [], "keys English does not have");
    assert.deepEqual(english.filter((key) => !(key in catalog)), [], "English keys it lacks");
    const needed = new Intl.PluralRules(entry.code).resolvedOptions().pluralCategories as string[];
    for (const key of english) {
      const message = catalog[key as keyof Catalog];
      const source = en[key as keyof typeof en] as Message;
      assert.deepEqual(placeholders(message), placeholders(source), `${entry.code} ${key}: placeholders`);
      assert.equal(typeof message, typeof source, `${entry.code} ${key}: a plural where English has one, and only there`);
      if (typeof message === "object") {
        assert.equal(typeof message.other, "string", `${entry.code} ${key}: no "other" form`);
        assert.deepEqual(needed.filter((form) => typeof message[form as keyof typeof message] !== "string"), [], `${entry.code} ${key}: plural forms missing`);
        assert.deepEqual(Object.keys(message).filter((form) => !pluralForms.includes(form)), [], `${entry.code} ${key}: not a plural category`);
      } else {
        assert.ok(message.trim().length > 0, `${entry.code} ${key}: empty`);
      }
    }
  });
}

test("t() fills in placeholders and picks plural forms, in English and German", async () => {
  await setLanguage("en");
  assert.equal(t("pages.welcome", { name: "Alice" }), "Welcome, Alice");
  assert.equal(t("message.replies", { count: 1 }), "1 reply");
  assert.equal(t("message.replies", { count: 2 }), "2 replies");
  assert.equal(t("message.replies", { count: 0 }), "0 replies");
  assert.equal(t("message.readBy", { count: 1 }), "Read by 1");
  assert.equal(t("common.memberCount", { count: 1234 }), "1,234 members", "numbers in the language's format");
  assert.equal(t("pages.welcome"), "Welcome, {name}", "a missing parameter stays visible");
  assert.equal(typingText([]), "");
  assert.equal(typingText(["Bob"]), "Bob is typing…");
  assert.equal(typingText(["Bob", "Carol"]), "Bob and Carol are typing…");
  assert.equal(dayLabel(new Date(2026, 0, 5, 12).toISOString(), new Date(2026, 0, 5, 18)), "Today");
  assert.equal(fileSize(1536), "1.5 KB");

  await setLanguage("de");
  assert.equal(language(), "de");
  assert.equal(t("pages.welcome", { name: "Alice" }), "Willkommen, Alice");
  assert.equal(t("message.replies", { count: 1 }), "1 Antwort");
  assert.equal(t("message.replies", { count: 5 }), "5 Antworten");
  assert.equal(t("common.memberCount", { count: 1234 }), "1.234 Mitglieder");
  assert.equal(t("api.rateLimited", { count: 1 }), "Das machst du zu oft. Versuche es in 1 Sekunde noch einmal.");
  assert.equal(typingText(["Bob"]), "Bob schreibt …");
  assert.equal(typingText(["Bob", "Carol"]), "Bob und Carol schreiben …");
  assert.equal(typingText(["Bob", "Carol", "Dan"]), "Mehrere Personen schreiben …");
  assert.equal(dayLabel(new Date(2026, 0, 4, 12).toISOString(), new Date(2026, 0, 5, 18)), "Gestern");
  assert.equal(fileSize(1536), "1,5 KB");
  await setLanguage("en");
});

test("an unknown language falls back to English", async () => {
  await setLanguage("xx");
  assert.equal(language(), "en");
  assert.equal(t("composer.send"), "Send");
});

test("the browser's first language the app has is chosen, else English", () => {
  assert.equal(preferredLanguage(["de-AT", "en"]), "de");
  assert.equal(preferredLanguage(["fr-FR", "en-GB", "de"]), "en");
  assert.equal(preferredLanguage(["fr", "DE-ch"]), "de");
  assert.equal(preferredLanguage([]), "en");
});
