// WCAG 2 AA colour contrast in both themes: every pairing of text and background colour the
// style sheet uses, read from its variables (so a new colour that is too faint fails here).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const css = readFileSync(new URL("../src/styles.css", import.meta.url), "utf8");

function variables(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  assert.ok(start >= 0, `no ${selector} block`);
  const block = css.slice(start, css.indexOf("}", start));
  return new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((match) => [match[1], match[2]]));
}

const light = variables(":root");
const dark = new Map([...light, ...variables(':root[data-theme="dark"]')]);

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// [text, background]: body text needs 4.5:1.
const pairs: [string, string][] = [
  ["fg", "bg"],
  ["fg", "bg-soft"],
  ["fg-soft", "bg"],
  ["fg-soft", "bg-soft"],
  ["fg-sidebar", "bg-sidebar"],
  ["fg-sidebar-soft", "bg-sidebar"],
  ["accent", "bg"],
  ["accent-fg", "accent"],
  ["danger", "bg"],
  ["danger-fg", "danger"],
  ["ok", "bg"],
  ["warn", "bg"],
  ["fg", "highlight"],
  ["fg", "mention"],
];

for (const [theme, colours] of [["light", light], ["dark", dark]] as const) {
  test(`text is readable (AA, 4.5:1) in the ${theme} theme`, () => {
    const failing = pairs
      .map(([fg, bg]) => ({ fg, bg, ratio: contrast(colours.get(fg) ?? "", colours.get(bg) ?? "") }))
      .filter((pair) => !(pair.ratio >= 4.5))
      .map((pair) => `${pair.fg} on ${pair.bg}: ${pair.ratio.toFixed(2)}`);
    assert.deepEqual(failing, []);
  });
}
