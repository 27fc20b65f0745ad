// The QR encoder against an independent one: python-qrcode's symbols (test/qr-fixtures.ts, made by
// tools/qr-fixtures.py) module for module for a few inputs, and by hash for every version 1-40;
// then the SVG drawn from it, through a stand-in for the browser's document.
import assert from "node:assert/strict";
import { test } from "node:test";
import { qrMatrix, qrSvg } from "../src/ui/qr";
import { fnv1a, sample, symbols, versions } from "./qr-fixtures";

function rows(matrix: boolean[][]): string[] {
  return matrix.map((row) => row.map((dark) => (dark ? "#" : ".")).join(""));
}

/// The level and mask named by the format information (its copy by the top-right and
/// bottom-left finders), as a scanner reads them.
function format(symbol: string[]): { level: number; mask: number } {
  const size = symbol.length;
  let bits = 0;
  for (let i = 0; i < 8; i++) if (symbol[8][size - 1 - i] === "#") bits |= 1 << i;
  for (let i = 8; i < 15; i++) if (symbol[size - 15 + i][8] === "#") bits |= 1 << i;
  bits ^= 0x5412;
  return { level: bits >> 13, mask: (bits >> 10) & 7 };
}

test("QR codes match python-qrcode's module for module (ASCII, digits, otpauth URIs, UTF-8, version 10)", () => {
  for (const { text, version, mask, rows: expected } of symbols) {
    const actual = rows(qrMatrix(text));
    assert.equal(actual.length, 17 + 4 * version, `version of ${text}`);
    assert.deepEqual(format(actual), { level: 0b00, mask }, `level M and the mask of ${text}`);
    assert.deepEqual(actual, expected, text);
  }
});

test("every version 1-40 holds as many bytes as it should, and its symbol matches python-qrcode's", async () => {
  for (const { version, capacity, mask, hash } of versions) {
    const full = rows(qrMatrix(sample(capacity)));
    assert.equal(full.length, 17 + 4 * version, `${capacity} bytes make version ${version}`);
    assert.equal(format(full).mask, mask, `mask of version ${version}`);
    assert.equal(fnv1a(full), hash, `symbol of version ${version}`);
    if (version < 40) assert.equal(qrMatrix(sample(capacity + 1)).length, 17 + 4 * (version + 1), `${capacity + 1} bytes need version ${version + 1}`);
  }
  await assert.rejects(Promise.resolve().then(() => qrMatrix(sample(2332))), /Too long for a QR code: 2332 bytes/);
  assert.equal(qrMatrix("é".repeat(7)).length, 21, "14 bytes of UTF-8 fit version 1");
  assert.equal(qrMatrix("é".repeat(8)).length, 25, "16 do not");
});

const SVG = "http://www.w3.org/2000/svg";

class FakeElement {
  attributes = new Map<string, string>();
  children: FakeElement[] = [];
  constructor(readonly namespaceURI: string, readonly tagName: string) {}
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
  }
  append(...nodes: FakeElement[]) {
    this.children.push(...nodes);
  }
}
Object.assign(globalThis, { document: { createElementNS: (namespace: string, tag: string) => new FakeElement(namespace, tag) } });

test("the SVG is a labelled image: a white square and one path of the dark modules inside a quiet zone", () => {
  const { text, rows: expected } = symbols[2];
  const svg = qrSvg(text, "QR code for two-factor authentication") as unknown as FakeElement;
  const side = expected.length + 8;
  assert.deepEqual([svg.namespaceURI, svg.tagName], [SVG, "svg"]);
  assert.deepEqual(Object.fromEntries(svg.attributes), { role: "img", "aria-label": "QR code for two-factor authentication", viewBox: `0 0 ${side} ${side}`, "shape-rendering": "crispEdges" });
  assert.deepEqual(svg.children.map((child) => [child.namespaceURI, child.tagName]), [[SVG, "rect"], [SVG, "path"]]);
  const [background, path] = svg.children;
  assert.deepEqual(Object.fromEntries(background.attributes), { width: String(side), height: String(side), fill: "#fff" });
  assert.deepEqual([...path.attributes.keys()], ["d", "fill"]);
  assert.equal(path.attributes.get("fill"), "#000");
  // Paint the path's rectangles (one per run of dark modules) and compare with the modules.
  const d = path.attributes.get("d") ?? "";
  const pieces = d.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
  assert.equal(pieces.join(""), d, "only rectangles one module high");
  assert.equal(pieces.length, expected.join(" ").match(/#+/g)?.length, "one per run");
  const painted = Array.from({ length: side }, () => new Array<string>(side).fill("."));
  for (const piece of pieces) {
    const [x, y, width, back] = (piece.match(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/) ?? []).slice(1).map(Number);
    assert.equal(back, width);
    for (let i = 0; i < width; i++) painted[y][x + i] = "#";
  }
  const quiet = ".".repeat(side);
  const framed = [...Array<string>(4).fill(quiet), ...expected.map((row) => `....${row}....`), ...Array<string>(4).fill(quiet)];
  assert.deepEqual(painted.map((row) => row.join("")), framed);
});
