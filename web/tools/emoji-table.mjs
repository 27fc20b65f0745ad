// Builds the emoji picker's table from Unicode's data as Debian ships it (unicode-data,
// unicode-cldr-core): every fully-qualified emoji of emoji-test.txt in Unicode's order, without
// skin-tone variants, with its CLDR short name and the CLDR keywords for search.
//
//   node tools/emoji-table.mjs OUT.json
import { readFileSync, writeFileSync } from "node:fs";

const [out] = process.argv.slice(2);
const test = readFileSync("/usr/share/unicode/emoji/emoji-test.txt", "utf8");
const annotations = readFileSync("/usr/share/unicode/cldr/common/annotations/en.xml", "utf8");

const keywords = new Map();
for (const match of annotations.matchAll(/<annotation cp="([^"]+)">([^<]*)<\/annotation>/g)) {
  keywords.set(match[1], match[2].split("|").map((word) => word.trim().toLowerCase()));
}

const table = [];
let group = "";
for (const line of test.split("\n")) {
  const groupMatch = line.match(/^# group: (.+)$/);
  if (groupMatch) group = groupMatch[1];
  const match = line.match(/^[0-9A-F ]+;\s*fully-qualified\s*#\s*(\S+)\s+E[\d.]+\s+(.+)$/);
  if (!match || group === "Component" || /skin tone/.test(match[2])) continue;
  const [, emoji, name] = match;
  const words = (keywords.get(emoji) ?? keywords.get(emoji.replace(/\uFE0F/g, "")) ?? []).filter((word) => !name.includes(word));
  table.push([emoji, name, words.join(" "), group]);
}
writeFileSync(out, JSON.stringify(table));
console.log(`emoji table: ${table.length} emoji`);
