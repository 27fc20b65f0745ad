// Builds the emoji picker's tables from Unicode's data as Debian ships it (unicode-data,
// unicode-cldr-core): every fully-qualified emoji of emoji-test.txt in Unicode's order, without
// skin-tone variants, with its CLDR short name and the CLDR keywords for search. One table per
// language of the app (the `code: "..."` lines of `languages` in src/i18n/i18n.ts): English
// names as emoji-test.txt gives them; another language's from CLDR's annotations and
// annotationsDerived for it (the `tts` short name), English where CLDR has none (emoji newer
// than the CLDR release). Its search words are its CLDR keywords and the English name too.
//
//   node tools/emoji-table.mjs OUTDIR
//
// writes OUTDIR/emoji-LANG-HASH.json per language (HASH: its content's) and prints the
// attributes that carry their URLs in index.html: data-en="/assets/emoji-en-....json" ...
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [outDir] = process.argv.slice(2);
const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const cldr = "/usr/share/unicode/cldr/common";
const languages = [...readFileSync(join(web, "src/i18n/i18n.ts"), "utf8").matchAll(/\{ code: "([a-zA-Z-]+)"/g)].map((match) => match[1]);
const test = readFileSync("/usr/share/unicode/emoji/emoji-test.txt", "utf8");

const entities = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (text) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name) => entities[name]);

/// CLDR's annotations for a language (its own file, then the derived one: sequences, flags):
/// keywords and short names by emoji, with U+FE0F removed as CLDR writes them.
function annotations(language) {
  const keywords = new Map();
  const names = new Map();
  const locale = language.replace("-", "_");
  for (const folder of ["annotations", "annotationsDerived"]) {
    const file = `${cldr}/${folder}/${locale}.xml`;
    if (!existsSync(file)) continue;
    const xml = readFileSync(file, "utf8");
    for (const match of xml.matchAll(/<annotation cp="([^"]+)"([^>]*)>([^<]*)<\/annotation>/g)) {
      const [, cp, attributes, text] = match;
      const emoji = decode(cp);
      if (/type="tts"/.test(attributes)) {
        if (!names.has(emoji)) names.set(emoji, decode(text).trim());
      } else if (!keywords.has(emoji)) {
        keywords.set(emoji, decode(text).split("|").map((word) => word.trim().toLowerCase()));
      }
    }
  }
  return { keywords, names };
}

const lookup = (map, emoji) => map.get(emoji) ?? map.get(emoji.replace(/\uFE0F/g, ""));

/// Every emoji of the picker, in Unicode's order: [emoji, English name, group].
const emojiList = [];
let group = "";
for (const line of test.split("\n")) {
  const groupMatch = line.match(/^# group: (.+)$/);
  if (groupMatch) group = groupMatch[1];
  const match = line.match(/^[0-9A-F ]+;\s*fully-qualified\s*#\s*(\S+)\s+E[\d.]+\s+(.+)$/);
  if (!match || group === "Component" || /skin tone/.test(match[2])) continue;
  emojiList.push([match[1], match[2], group]);
}

const english = annotations("en");
const attributes = [];
for (const language of languages) {
  const own = language === "en" ? english : annotations(language);
  let translated = 0;
  const table = emojiList.map(([emoji, englishName, group]) => {
    if (language === "en") {
      const words = (lookup(english.keywords, emoji) ?? []).filter((word) => !englishName.includes(word));
      return [emoji, englishName, words.join(" "), group];
    }
    const ownName = lookup(own.names, emoji);
    if (ownName) translated += 1;
    const name = ownName ?? englishName;
    const lower = name.toLowerCase();
    const words = (lookup(own.keywords, emoji) ?? []).filter((word) => !lower.includes(word));
    if (ownName) words.push(englishName.toLowerCase());
    return [emoji, name, words.join(" "), group];
  });
  if (language !== "en" && translated < table.length) {
    console.error(`emoji table ${language}: ${translated} of ${table.length} named in CLDR, the rest in English`);
  }
  const json = JSON.stringify(table);
  const file = `emoji-${language}-${createHash("sha256").update(json).digest("hex").slice(0, 8)}.json`;
  writeFileSync(join(outDir, file), json);
  attributes.push(`data-${language.toLowerCase()}="/assets/${file}"`);
}
console.log(attributes.join(" "));
