import assert from "node:assert/strict";
import { test } from "node:test";
import {
  clearFilter,
  composeQuery,
  filterValues,
  formatOperator,
  formatQuery,
  hasFilter,
  parseQuery,
  removeFilter,
  sameOperator,
  setFilter,
  setFilterValues,
  toggleFilter,
  type ParsedQuery,
  type QueryToken,
  type SearchOperator,
} from "../src/state/search-query";

const from = (value: string): SearchOperator => ({ kind: "from", value });
const link: SearchOperator = { kind: "has", value: "link" };
const file: SearchOperator = { kind: "has", value: "attachment" };
const thread: SearchOperator = { kind: "is", value: "thread" };

function reading(query: string): { text: string; operators: string[] } {
  const parsed = parseQuery(query);
  return { text: parsed.text, operators: parsed.operators.map(formatOperator) };
}

test("a query splits into its free text and its operators, phrases, exclusions and or kept in the text", () => {
  assert.deepEqual(reading('deploy "from: alice" -spam staging or prod from:bob in:0192a8 after:2026-01-02 before:2026-02-01 has:link has:attachment is:thread'), {
    text: 'deploy "from: alice" -spam staging or prod',
    operators: ["from:bob", "in:0192a8", "after:2026-01-02", "before:2026-02-01", "has:link", "has:attachment", "is:thread"],
  });
  assert.deepEqual(reading("has:link"), { text: "", operators: ["has:link"] });
  assert.deepEqual(reading(""), { text: "", operators: [] });
  assert.deepEqual(reading("   "), { text: "", operators: [] });
});

test("operators read as the service reads them: any case, @names, plural and file spellings", () => {
  assert.deepEqual(parseQuery("FROM:@Bob Has:Links has:files IS:THREAD In:R1 AFTER:2026-01-02").operators, [
    { kind: "from", value: "Bob" },
    { kind: "has", value: "link" },
    { kind: "has", value: "attachment" },
    { kind: "is", value: "thread" },
    { kind: "in", value: "R1" },
    { kind: "after", value: "2026-01-02" },
  ]);
  // Not operators: unknown names and values, empty values, a colon first, links.
  for (const word of ["has:nothing", "is:open", "from:", "in:", ":from", "foo:bar", "https://example.com/a", "re:", "10:30"]) {
    assert.deepEqual(reading(`x ${word}`), { text: `x ${word}`, operators: [] }, word);
  }
});

test("operator look-alikes inside phrases, after a minus, or after `x or` are words", () => {
  assert.deepEqual(reading('"from:bob in:r1" has:link'), { text: '"from:bob in:r1"', operators: ["has:link"] });
  assert.deepEqual(reading("-from:bob -has:link"), { text: "-from:bob -has:link", operators: [] });
  assert.deepEqual(reading('-"is:thread"'), { text: '-"is:thread"', operators: [] });
  assert.deepEqual(reading("x or from:bob"), { text: "x or from:bob", operators: [] }, "an alternative of x");
  assert.deepEqual(reading("x OR has:link"), { text: "x OR has:link", operators: [] });
  assert.deepEqual(reading("a or b or in:r1 in:r2"), { text: "a or b or in:r1", operators: ["in:r2"] });
  assert.deepEqual(reading("x Or from:bob"), { text: "x Or", operators: ["from:bob"] }, "only or and OR join");
  assert.deepEqual(reading("-x or from:bob"), { text: "-x or", operators: ["from:bob"] }, "an exclusion takes no alternatives");
  assert.deepEqual(reading("x or -from:bob"), { text: "x or -from:bob", operators: [] });
  assert.deepEqual(reading('"" or from:bob'), { text: '"" or', operators: ["from:bob"] }, "an empty phrase is nothing to join");
  assert.deepEqual(reading("from:ann or from:bob"), { text: "or", operators: ["from:ann", "from:bob"] });
});

test("quotes: an open quote runs to the end, a closing quote ends its token at once", () => {
  assert.deepEqual(reading('hello "open from:bob has:link'), { text: 'hello "open from:bob has:link', operators: [] });
  assert.deepEqual(reading('"abc"from:bob'), { text: '"abc"', operators: ["from:bob"] });
  assert.deepEqual(reading('a"b c"d from:bob'), { text: 'a"b c"d', operators: ["from:bob"] }, "a quote inside a word is part of it");
  assert.deepEqual(reading('-"a phrase"-x'), { text: '-"a phrase"-x', operators: [] });
});

test("repeated operators are all kept, in order", () => {
  const query = "from:ann x from:bob after:2026-01-01 after:2026-02-01 has:link has:links";
  assert.deepEqual(filterValues(query, "from"), ["ann", "bob"]);
  assert.deepEqual(filterValues(query, "after"), ["2026-01-01", "2026-02-01"]);
  assert.deepEqual(filterValues(query, "has"), ["link", "link"]);
  assert.equal(parseQuery(query).text, "x");
});

test("blanks of any kind separate tokens, and the query is written back exactly", () => {
  const odd = "  hello \t from:bob\u00a0 world\u3000has:link\n\"a  phrase\"  ";
  assert.deepEqual(reading(odd), { text: 'hello\u00a0 world\n"a  phrase"', operators: ["from:bob", "has:link"] });
  assert.equal(formatQuery(parseQuery(odd)), odd);
  assert.equal(parseQuery("hello ").trailing, " ", "a last word with a blank after it is not a prefix");
});

test("unicode words, names and phrases", () => {
  const query = 'café "naïve résumé" from:zoë in:房间 -日本語 👍🏽 👩‍💻 or 🚀';
  assert.deepEqual(reading(query), { text: 'café "naïve résumé" -日本語 👍🏽 👩‍💻 or 🚀', operators: ["from:zoë", "in:房间"] });
  assert.equal(formatQuery(parseQuery(query)), query);
  assert.equal(removeFilter(query, from("ZOË")), 'café "naïve résumé" in:房间 -日本語 👍🏽 👩‍💻 or 🚀');
});

test("setting a filter rewrites its operator in place, or appends it", () => {
  assert.equal(setFilter("hello from:ann world", from("bob")), "hello from:bob world");
  assert.equal(setFilter("from:ann x from:carl y", from("bob")), "from:bob x y", "the only from: afterwards");
  assert.equal(setFilter("hello", link), "hello has:link");
  assert.equal(setFilter("hello has:link", file), "hello has:link has:attachment", "has:link and has:attachment are separate");
  assert.equal(setFilter("hello  ", link), "hello  has:link");
  assert.equal(setFilter("", thread), "is:thread");
  assert.equal(setFilter("x has:Links y", link), "x has:Links y", "already there: kept as written");
  assert.equal(setFilter("x", { kind: "after", value: "2026-11-22" }), "x after:2026-11-22");
  assert.equal(setFilter('"from:ann" x', from("bob")), '"from:ann" x from:bob', "a phrase is not a filter");
  assert.equal(setFilter('x "open', link), 'has:link x "open', "an open quote would take it in");
  assert.equal(setFilter("deploy or", from("bob")), "from:bob deploy or", "`or` would take it in");
  assert.equal(setFilter("x", { kind: "has", value: "nothing" }), "x", "not an operator: nothing changes");
  assert.equal(setFilter("x", from("")), "x");
  assert.equal(setFilter("x", from("bo b")), "x from:bob", "a value has no blanks");
});

test("removing a filter deletes exactly that operator and the blanks before it", () => {
  assert.equal(removeFilter("from:ann hello from:bob", from("bob")), "from:ann hello");
  assert.equal(removeFilter("from:ann hello from:bob", from("ANN")), "hello from:bob");
  assert.equal(removeFilter("  from:ann   hello  ", from("ann")), "  hello  ", "the query's own leading and trailing blanks stay");
  assert.equal(removeFilter('"from:ann" from:ann', from("ann")), '"from:ann"', "not the phrase");
  assert.equal(removeFilter('"abc"from:ann more', from("ann")), '"abc" more');
  assert.equal(removeFilter("x has:links y has:link", link), "x y", "each spelling of it");
  assert.equal(removeFilter("has:link", link), "");
  assert.equal(removeFilter("x or from:bob", from("bob")), "x or from:bob", "a word, not a filter");
  assert.equal(removeFilter("x has:attachment", link), "x has:attachment");
  // Removing from:a would leave `x or from:b`, where from:b is a word: written anew instead.
  assert.equal(removeFilter("x from:a or from:b", from("a")), "from:b x or");
  assert.deepEqual(reading(removeFilter("x from:a or from:b", from("a"))), { text: "x or", operators: ["from:b"] });
  // There, moving from:b in front would join `x or or`; an empty phrase (read as nothing) stands in.
  assert.equal(removeFilter("x is:thread or or from:b", thread), 'x "" or or from:b');
  assert.deepEqual(reading("x is:thread or or from:b"), { text: "x or or from:b", operators: ["is:thread"] });
});

test("clearing, several values, toggling", () => {
  assert.equal(clearFilter("from:a x from:b has:link", "from"), "x has:link");
  assert.equal(clearFilter("x has:link has:attachment is:thread", "has"), "x is:thread");
  assert.equal(setFilterValues("x from:a y from:b", "from", ["c", "@d"]), "x from:c from:d y");
  assert.equal(setFilterValues("x from:a", "from", []), "x");
  assert.equal(setFilterValues("x from:a", "from", ["", "@"]), "x", "nothing left to filter by");
  assert.equal(setFilterValues("x", "in", ["r1", "r2"]), "x in:r1 in:r2");
  assert.ok(hasFilter("x has:LINKS", link));
  assert.ok(!hasFilter("x -has:link", link));
  assert.ok(hasFilter("from:@Bob", from("bob")));
  assert.equal(toggleFilter("hello", thread), "hello is:thread");
  assert.equal(toggleFilter("hello is:thread", thread), "hello");
  assert.equal(formatOperator(from("@odd")), "from:@@odd", "the service drops one @");
  assert.deepEqual(parseQuery(formatOperator(from("@odd"))).operators, [from("@odd")]);
  assert.ok(sameOperator(from("Bob"), from("bOB")));
});

test("a query composed from free text and operators reads back as them", () => {
  assert.equal(composeQuery("deploy staging", [from("bob"), link]), "deploy staging from:bob has:link");
  assert.equal(composeQuery("  x  ", []), "x");
  assert.equal(composeQuery("", [thread]), "is:thread");
  assert.equal(composeQuery('"open', [link]), 'has:link "open');
  assert.deepEqual(reading(composeQuery("x or or is:thread", [link])), { text: "x or or", operators: ["is:thread", "has:link"] }, "text is read as written");
  const parsed = parseQuery('café from:zoë "a or b" or in:r1 -x');
  assert.deepEqual(reading(composeQuery(parsed.text, parsed.operators)), reading('café from:zoë "a or b" or in:r1 -x'));
});

// Queries made at random from the pieces the edge cases above are made of, joined by blanks of
// several kinds or by nothing: each must be written back exactly, and every edit must read as the
// same free text with the operators expected.
const pieces = [
  "hello", "wörld", "日本語", "👍🏽", "or", "OR", "-", "-x", "--y", '"', '""', '"a b"', '"from:c"', '-"d e"', 'a"b',
  "from:bob", "FROM:@Ann", "from:@", "from:", "in:r1", "after:2026-01-02", "before:2026-03-04", "has:link", "has:files",
  "has:nothing", "is:thread", "is:open", "x:y", ":z", "-from:bob",
];
const separators = [" ", " ", " ", "  ", "", "\t", "\u00a0", "\u3000", "\n"];
const edits: SearchOperator[] = [from("bob"), from("carl"), link, file, thread, { kind: "in", value: "r1" }, { kind: "after", value: "2026-05-06" }];

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomQuery(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  let query = next() < 0.2 ? pick(separators) : "";
  const count = Math.floor(next() * 7);
  for (let index = 0; index < count; index += 1) query += (index > 0 ? pick(separators) : "") + pick(pieces);
  return query + (next() < 0.3 ? pick(separators) : "");
}

/// `query` reads as the free text of `reference` and `operators`. An edit may have put empty
/// phrases (`""`, read as nothing) where operators were: then the words are compared without them.
function assertReads(query: string, reference: ParsedQuery, operators: readonly SearchOperator[], what: string, options = { inAnyOrder: false }): void {
  const parsed = parseQuery(query);
  const label = `${what}: ${JSON.stringify(query)}`;
  const empties = (tokens: readonly QueryToken[]) => tokens.filter((token) => token.raw === '""').length;
  const words = (tokens: readonly QueryToken[]) => tokens.filter((token) => !token.operator && token.raw !== '""').map((token) => token.raw);
  if (empties(parsed.tokens) === empties(reference.tokens)) assert.equal(parsed.text, reference.text, label);
  else assert.deepEqual(words(parsed.tokens), words(reference.tokens), label);
  const written = (list: readonly SearchOperator[]) => (options.inAnyOrder ? list.map(formatOperator).sort() : list.map(formatOperator));
  assert.deepEqual(written(parsed.operators), written(operators), label);
}

test("round trips and edits hold for thousands of random queries", () => {
  const next = random(17);
  for (let round = 0; round < 2000; round += 1) {
    const query = randomQuery(next);
    const parsed = parseQuery(query);
    const label = JSON.stringify(query);
    assert.equal(formatQuery(parsed), query, `written back exactly: ${label}`);
    // The free text reads as itself alone unless operators kept `or`s apart in it.
    const alone = parseQuery(parsed.text);
    assertReads(composeQuery(parsed.text, parsed.operators), alone, [...alone.operators, ...parsed.operators], "composed");
    for (const operator of parsed.operators) {
      const rest = parsed.operators.filter((other) => !sameOperator(other, operator));
      assertReads(removeFilter(query, operator), parsed, rest, `without ${formatOperator(operator)}`);
    }
    for (const operator of edits) {
      const set = setFilter(query, operator);
      assert.ok(hasFilter(set, operator), `set ${formatOperator(operator)} in ${label}`);
      const same = (other: SearchOperator) => (other.kind === "has" || other.kind === "is" ? sameOperator(other, operator) : other.kind === operator.kind);
      assert.equal(parseQuery(set).operators.filter(same).length, 1, `one ${operator.kind} in ${JSON.stringify(set)}`);
      const first = parsed.operators.findIndex(same);
      const expected = first === -1 ? [...parsed.operators, operator] : parsed.operators.flatMap((other, index) => (index === first ? [operator] : same(other) ? [] : [other]));
      assertReads(set, parsed, expected, `set ${formatOperator(operator)}`, { inAnyOrder: true });
      const toggled = toggleFilter(toggleFilter(query, operator), operator);
      if (!parsed.operators.some(same)) assertReads(toggled, parsed, parsed.operators, `toggled ${formatOperator(operator)} twice`);
    }
  }
});

test("a search page's request and a hit's link", async () => {
  const { searchPath, messageHref } = await import("../src/ui/search-view");
  // The service reads parameters as a form does: `+` is a blank, so a plus is sent as %2B.
  const path = searchPath('c++ "from: x" in:r1 zoë', "recent", null);
  assert.equal(new URLSearchParams(path.split("?")[1]).get("q"), 'c++ "from: x" in:r1 zoë');
  assert.ok(path.startsWith("/search?q=c%2B%2B+%22from%3A+x%22+in%3Ar1+zo%C3%AB&sort=recent&limit=20"), path);
  assert.ok(searchPath("x", "relevance", "3e8f:0192").endsWith("&cursor=3e8f%3A0192"));
  assert.equal(messageHref({ id: "m1", room_id: "r 1", parent_id: null }), "#/rooms/r%201?message=m1");
  assert.equal(messageHref({ id: "m2", room_id: "r1", parent_id: "root" }), "#/rooms/r1/threads/root", "a reply opens its thread");
});
