// QR codes (ISO/IEC 18004) for the settings page's two-factor setup, which shows the
// `otpauth://` URI to scan: byte mode (UTF-8), error correction level M, the smallest version
// that fits, the mask with the lowest penalty. `qrMatrix` gives the modules, `qrSvg` draws them.

/// A symbol being built: `dark` is what is drawn, `fixed` marks the function patterns (finders,
/// timing, alignment, format and version information) that data and masks leave alone.
interface Grid {
  dark: boolean[][];
  fixed: boolean[][];
}

// Level M per version 1-40 (ISO table 9): error correction codewords per block, and blocks.
const EC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
const LEVEL_M = 0b00; // the level's two bits in the format information (L 01, M 00, Q 11, H 10)

/// The modules of the QR code for `text` (rows of columns, true = dark), without quiet zone.
export function qrMatrix(text: string): boolean[][] {
  const bytes = new TextEncoder().encode(text);
  const version = smallestVersion(bytes.length);
  const template = functionPatterns(version);
  placeData(template, interleave(version, dataCodewords(bytes, version)));
  // Masking: each of the 8 masks flips the data modules where its condition holds, and the
  // result is scored; the lowest penalty wins (the first of equal ones). As in ISO's order of
  // steps (7.8, then 7.9), the format and version information is added after the choice: the
  // scoring sees its modules light (python-qrcode and segno choose the same way).
  let best = template;
  let bestMask = 0;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const symbol = masked(template, mask);
    const score = penalty(symbol.dark);
    if (score < bestPenalty) [best, bestMask, bestPenalty] = [symbol, mask, score];
  }
  drawInformation(best, version, bestMask);
  return best.dark;
}

const SVG = "http://www.w3.org/2000/svg";
const QUIET = 4; // modules of light margin all round, as scanners need

/// The QR code for `text` as an image named `label`: a white square, and one path of black
/// squares (a rectangle per horizontal run of dark modules); sized by the page's CSS.
export function qrSvg(text: string, label: string): SVGSVGElement {
  const modules = qrMatrix(text);
  const side = modules.length + 2 * QUIET;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("viewBox", `0 0 ${side} ${side}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(side));
  background.setAttribute("height", String(side));
  background.setAttribute("fill", "#fff");
  let d = "";
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      const width = x - start + 1;
      d += `M${start + QUIET} ${y + QUIET}h${width}v1h-${width}z`;
    }
  });
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(background, path);
  return svg;
}

// Capacity: the modules left free by the function patterns hold the codewords (8 modules each,
// the few left over stay light); level M spends EC_PER_BLOCK × BLOCKS of them on error
// correction, and the rest carries the data (counted once per version).
const capacities: number[] = [];
function dataCapacity(version: number): number {
  const free = () => functionPatterns(version).fixed.flat().filter((fixed) => !fixed).length;
  return (capacities[version] ??= Math.floor(free() / 8) - EC_PER_BLOCK[version] * BLOCKS[version]);
}

// Byte mode: 4 bits of mode, the byte count (8 bits up to version 9, 16 from 10), the bytes.
function countBits(version: number): number {
  return version <= 9 ? 8 : 16;
}

function smallestVersion(length: number): number {
  for (let version = 1; version <= 40; version++) {
    if (4 + countBits(version) + 8 * length <= 8 * dataCapacity(version)) return version;
  }
  throw new Error(`Too long for a QR code: ${length} bytes (level M holds at most 2331)`);
}

// Data encoding: mode 0100 (bytes), the count, the bytes, a terminator of up to four 0 bits,
// 0 bits up to a whole byte, then the pad bytes 0xEC and 0x11 in turn up to the capacity.
function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const capacity = dataCapacity(version);
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, countBits(version));
  bytes.forEach((byte) => put(byte, 8));
  put(0, Math.min(4, capacity * 8 - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const codewords: number[] = [];
  for (let i = 0; i < bits.length; i += 8) codewords.push(parseInt(bits.slice(i, i + 8).join(""), 2));
  for (let pad = 0xec; codewords.length < capacity; pad ^= 0xec ^ 0x11) codewords.push(pad);
  return codewords;
}

// GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1 (0x11D): powers of α = 2 and their logarithms,
// so that a product is a sum of logarithms.
const EXP: number[] = [];
const LOG: number[] = [];
for (let i = 0, value = 1; i < 255; i++) {
  EXP[i] = EXP[i + 255] = value;
  LOG[value] = i;
  value = (value << 1) ^ (value & 0x80 ? 0x11d : 0);
}

function multiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

// Reed-Solomon: the generator polynomial of degree n is (x - α⁰)(x - α¹)…(x - αⁿ⁻¹), its
// coefficients highest power first (minus is plus in GF(256)).
function generator(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = [...poly, 0];
    poly.forEach((coefficient, j) => (next[j + 1] ^= multiply(coefficient, EXP[i])));
    poly = next;
  }
  return poly;
}

// The error correction codewords of a block: the remainder of data × xⁿ divided by the
// generator (long division, one data codeword at a time).
function errorCorrection(data: number[], degree: number): number[] {
  const divisor = generator(degree);
  const rest = [...data, ...new Array<number>(degree).fill(0)];
  for (let i = 0; i < data.length; i++) {
    const factor = rest[i];
    for (let j = 1; j < divisor.length; j++) rest[i + j] ^= multiply(divisor[j], factor);
  }
  return rest.slice(data.length);
}

// Blocks and interleaving: the data is cut into BLOCKS blocks (the last ones one codeword
// longer when it does not divide evenly), each gets its error correction, and the symbol carries
// the first codeword of every block, then the second of every block… first for the data, then
// for the error correction.
function interleave(version: number, data: number[]): number[] {
  const count = BLOCKS[version];
  const short = Math.floor(data.length / count);
  const longFrom = count - (data.length % count);
  const blocks: number[][] = [];
  for (let b = 0, start = 0; b < count; b++) {
    const length = short + (b >= longFrom ? 1 : 0);
    blocks.push(data.slice(start, start + length));
    start += length;
  }
  const corrections = blocks.map((block) => errorCorrection(block, EC_PER_BLOCK[version]));
  const result: number[] = [];
  for (let i = 0; i <= short; i++) blocks.forEach((block) => i < block.length && result.push(block[i]));
  for (let i = 0; i < EC_PER_BLOCK[version]; i++) corrections.forEach((ec) => result.push(ec[i]));
  return result;
}

function put(grid: Grid, x: number, y: number, dark: boolean): void {
  grid.dark[y][x] = dark;
  grid.fixed[y][x] = true;
}

// Function patterns: the three finders with their light separators, the alignment patterns,
// timing lines on row and column 6 between the finders, and the areas of the format
// information, the one always-dark module and (from version 7) the version information,
// reserved light for now.
function functionPatterns(version: number): Grid {
  const size = 17 + 4 * version;
  const blank = () => Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const grid: Grid = { dark: blank(), fixed: blank() };
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        const [x, y] = [cx + dx, cy + dy];
        if (x >= 0 && x < size && y >= 0 && y < size) put(grid, x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = alignmentCentres(version);
  for (const cy of centres) {
    for (const cx of centres) {
      if (grid.fixed[cy][cx]) continue; // the three corners taken by finders
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) put(grid, cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    put(grid, 6, i, i % 2 === 0); // through alignment patterns on row or column 6, which agree
    put(grid, i, 6, i % 2 === 0);
  }
  drawInformation(grid, version, null);
  return grid;
}

// Alignment pattern centres on each axis (ISO annex E): none in version 1; otherwise 6, the
// last at size - 7, and between them evenly spaced by an even step.
function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const centres = [6];
  for (let i = count - 2; i >= 0; i--) centres.push(17 + 4 * version - 7 - i * step);
  return centres;
}

// Placement: the codewords' bits, most significant first, go up and down two-module-wide
// columns from the right edge (right module before left), skipping function patterns and the
// timing column; modules left over stay light.
function placeData(grid: Grid, codewords: number[]): void {
  const size = grid.dark.length;
  let bit = 0;
  let upward = true;
  for (let right = size - 1; right >= 1; right -= 2, upward = !upward) {
    if (right === 6) right = 5;
    for (let step = 0; step < size; step++) {
      const y = upward ? size - 1 - step : step;
      for (const x of [right, right - 1]) {
        if (grid.fixed[y][x]) continue;
        grid.dark[y][x] = bit < codewords.length * 8 && ((codewords[bit >> 3] >> (7 - (bit & 7))) & 1) === 1;
        bit++;
      }
    }
  }
}

// The 8 mask conditions on row y and column x (ISO table 10).
const MASKS: ((y: number, x: number) => boolean)[] = [
  (y, x) => (y + x) % 2 === 0,
  (y) => y % 2 === 0,
  (_, x) => x % 3 === 0,
  (y, x) => (y + x) % 3 === 0,
  (y, x) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (y, x) => ((y * x) % 2) + ((y * x) % 3) === 0,
  (y, x) => (((y * x) % 2) + ((y * x) % 3)) % 2 === 0,
  (y, x) => (((y + x) % 2) + ((y * x) % 3)) % 2 === 0,
];

function masked(grid: Grid, mask: number): Grid {
  const dark = grid.dark.map((row, y) => row.map((d, x) => d !== (!grid.fixed[y][x] && MASKS[mask](y, x))));
  return { dark, fixed: grid.fixed };
}

// Format information: the level's 2 bits and the mask's 3, then 10 bits of BCH(15,5) code
// (the remainder by x¹⁰+x⁸+x⁵+x⁴+x²+x+1, 0x537), all XORed with 0x5412; drawn twice, around the
// top-left finder and split between the other two, bit 0 first; then the dark module. Version
// information (7 and up): 6 bits of version and 12 of BCH(18,6) code (remainder by 0x1F25), in a
// 6×3 block above the bottom-left finder and its mirror left of the top-right one. With no mask
// yet, all of these modules are reserved light.
function drawInformation(grid: Grid, version: number, mask: number | null): void {
  const size = grid.dark.length;
  const data = (LEVEL_M << 3) | (mask ?? 0);
  const format = ((data << 10) | bchRemainder(data, 0x537, 10)) ^ 0x5412;
  const bit = (bits: number, i: number) => mask !== null && ((bits >> i) & 1) === 1;
  for (let i = 0; i < 15; i++) {
    // Down column 8 then left along row 8 around the top-left finder, skipping the timing lines.
    if (i < 8) put(grid, 8, i < 6 ? i : i + 1, bit(format, i));
    else put(grid, i < 9 ? 7 : 14 - i, 8, bit(format, i));
    // Leftwards along row 8 under the top-right finder, then down column 8 beside the bottom-left.
    if (i < 8) put(grid, size - 1 - i, 8, bit(format, i));
    else put(grid, 8, size - 15 + i, bit(format, i));
  }
  put(grid, 8, size - 8, mask !== null);
  if (version < 7) return;
  const versionBits = (version << 12) | bchRemainder(version, 0x1f25, 12);
  for (let i = 0; i < 18; i++) {
    const [near, far] = [Math.floor(i / 3), size - 11 + (i % 3)];
    put(grid, far, near, bit(versionBits, i)); // top right: 6 rows of 3
    put(grid, near, far, bit(versionBits, i)); // bottom left: 6 columns of 3
  }
}

/// The remainder of value × x^degree divided by the polynomial (bits as coefficients).
function bchRemainder(value: number, polynomial: number, degree: number): number {
  let rest = value << degree;
  for (let i = 30; i >= degree; i--) if ((rest >> i) & 1) rest ^= polynomial << (i - degree);
  return rest;
}

// Penalty (ISO 7.8.3), lower is better: 1) each run of 5+ same-coloured modules in a row or
// column, its length - 2; 2) each 2×2 same-coloured square, 3; 3) each 1:1:3:1:1 finder-like
// pattern with 4 light modules on one side, 40 (within the symbol); 4) 10 for every full 5% by
// which the share of dark modules is off 50%.
function penalty(dark: boolean[][]): number {
  const size = dark.length;
  const lines = [...dark, ...dark.map((_, x) => dark.map((row) => row[x]))].map((line) => line.map((d) => (d ? "1" : "0")).join(""));
  let score = 0;
  for (const line of lines) {
    for (const run of line.match(/0{5,}|1{5,}/g) ?? []) score += run.length - 2;
    for (let i = 0; i + 11 <= line.length; i++) {
      if (line.startsWith("10111010000", i) || line.startsWith("00001011101", i)) score += 40;
    }
  }
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const d = dark[y][x];
      if (dark[y][x + 1] === d && dark[y + 1][x] === d && dark[y + 1][x + 1] === d) score += 3;
    }
  }
  const darkCount = dark.flat().filter(Boolean).length;
  return score + 10 * Math.floor(Math.abs(darkCount * 20 - size * size * 10) / (size * size));
}
