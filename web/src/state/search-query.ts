// A search query as typed (`q`, API.md "search result"): its free text and its operators, read the
// way the search service reads them (services/search/Sources/SearchSyntax/SearchQuery.swift), and
// the edits the filter chips make. A chip writes the same syntax a person would type and removing
// it deletes exactly that operator; everything else in the query is kept character for character.
//
// The service's reading, mirrored here:
// - tokens are split on blanks; `"a phrase"` is one token (an unclosed quote runs to the end) and
//   a leading `-` negates the next word or phrase, so `"from:x"` and `-from:x` are free text;
// - an operator is a bare word `name:value` (name in any case, value not empty): `in:`, `from:`
//   (a leading `@` dropped), `after:`, `before:`, `has:link(s)`, `has:attachment(s)`,
//   `has:file(s)`, `is:thread`; any other `word:with:colons` is free text;
// - a word right after `x or` is an alternative of x, so in `x or from:bob` `from:bob` is a word.
// Characters are compared by code point (the service by grapheme), which differs only for a blank
// or a quote carrying a combining mark.

export type OperatorKind = "from" | "in" | "after" | "before" | "has" | "is";

/// One filter: `has` is "link" or "attachment", `is` is "thread"; `from` is the username without `@`.
export interface SearchOperator {
  readonly kind: OperatorKind;
  readonly value: string;
}

/// One token as written: the blanks before it, its text, and the operator it is (null: free text).
export interface QueryToken {
  readonly space: string;
  readonly raw: string;
  readonly operator: SearchOperator | null;
}

export interface ParsedQuery {
  readonly tokens: readonly QueryToken[];
  /// The blanks after the last token (they matter: a last word without one is a prefix).
  readonly trailing: string;
  /// The free text: the query without its operators, trimmed.
  readonly text: string;
  /// The operators in the order written.
  readonly operators: readonly SearchOperator[];
}

// Unicode White_Space, as Swift's Character.isWhitespace.
const blank = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const leadingBlanks = new RegExp(`^${blank.source}*`);
const trailingBlanks = new RegExp(`${blank.source}+$`);
const endsBlank = new RegExp(`${blank.source}$`);
const allBlanks = new RegExp(blank.source, "g");
// What Swift's `.whitespaces` trims from a phrase: spaces and tabs, not line breaks.
const onlySpaces = /^[\t\p{Zs}]*$/u;

interface Lexeme {
  space: string;
  raw: string;
  negated: boolean;
  quoted: boolean;
  /// The word or phrase without its `-` and quotes.
  body: string;
}

export function parseQuery(query: string): ParsedQuery {
  const { lexemes, trailing } = lex(query);
  const operators = classify(lexemes);
  const tokens = lexemes.map((lexeme, index) => ({ space: lexeme.space, raw: lexeme.raw, operator: operators[index] }));
  return withDerived(tokens, trailing);
}

/// The query exactly as it was written: `formatQuery(parseQuery(q)) === q`.
export function formatQuery(parsed: Pick<ParsedQuery, "tokens" | "trailing">): string {
  return parsed.tokens.map((token) => token.space + token.raw).join("") + parsed.trailing;
}

/// A query from free text and operators, appended (or put in front when the end of the text would
/// take them in: an open quote, or `x or`): parsing it gives back the text, trimmed, and the
/// operators, after any the text itself holds. (The free text of a query reads as itself alone
/// except where operators kept `or`s apart: `x is:thread or or is:thread`.)
export function composeQuery(text: string, operators: readonly SearchOperator[]): string {
  return appendOperators(parseQuery(trim(text)), operators.flatMap((operator) => normalized(operator) ?? []));
}

/// `from:bob`, `has:link`: the operator as written into a query; blanks are dropped from the value.
/// A `from:` value that is empty or begins with `@` keeps an `@` in front (the service drops one).
export function formatOperator(operator: SearchOperator): string {
  const value = operator.value.replace(allBlanks, "");
  const at = operator.kind === "from" && (value === "" || value.startsWith("@")) ? "@" : "";
  return `${operator.kind}:${at}${value}`;
}

export function hasFilter(query: string, operator: SearchOperator): boolean {
  const target = normalized(operator);
  return target !== null && parseQuery(query).operators.some((candidate) => sameOperator(candidate, target));
}

/// The values of one kind of operator, in order (the service uses the last `after:`/`before:`).
export function filterValues(query: string, kind: OperatorKind): string[] {
  return parseQuery(query)
    .operators.filter((operator) => operator.kind === kind)
    .map((operator) => operator.value);
}

/// The query with `operator` as the only one of its sort (the only `from:`, the only `has:link`):
/// the first of them is rewritten in place, the others removed; appended when there is none. An
/// operator the service would not read as one (`has:nothing`, an empty value) changes nothing.
export function setFilter(query: string, operator: SearchOperator): string {
  const target = normalized(operator);
  return target === null || target.value === "" ? query : replaceSlot(parseQuery(query), slotOf(target), [target]);
}

/// The query with these values for one kind (`from:a from:b`), or none of that kind when no value
/// is left (empty ones are dropped). Values are as typed: a `from:` name may begin with `@`.
export function setFilterValues(query: string, kind: "from" | "in" | "after" | "before", values: readonly string[]): string {
  const typed = kind === "from" ? values.map((value) => value.replace(/^@/, "")) : values;
  const operators = typed.flatMap((value) => normalized({ kind, value }) ?? []).filter((operator) => operator.value !== "");
  return replaceSlot(parseQuery(query), kind, operators);
}

/// The query without this operator (each copy of it: `has:links` counts as `has:link`).
export function removeFilter(query: string, operator: SearchOperator): string {
  const target = normalized(operator);
  return target === null ? query : without(parseQuery(query), (candidate) => sameOperator(candidate, target));
}

/// The query without any operator of this kind.
export function clearFilter(query: string, kind: OperatorKind): string {
  return without(parseQuery(query), (candidate) => candidate.kind === kind);
}

/// What a chip does: removes the operator when the query has it, else sets it.
export function toggleFilter(query: string, operator: SearchOperator): string {
  return hasFilter(query, operator) ? removeFilter(query, operator) : setFilter(query, operator);
}

/// The same filter: kind and value alike, regardless of case (usernames, room ids, `has:LINK`).
export function sameOperator(a: SearchOperator, b: SearchOperator): boolean {
  return a.kind === b.kind && a.value.toLowerCase() === b.value.toLowerCase();
}

// Reading.

/// Splits as the service does: blanks between tokens, a quote runs to the next quote (or the end)
/// and ends its token there, a `-` before a non-blank negates.
function lex(query: string): { lexemes: Lexeme[]; trailing: string } {
  const lexemes: Lexeme[] = [];
  let rest = query;
  for (;;) {
    const space = rest.match(leadingBlanks)![0];
    rest = rest.slice(space.length);
    if (rest === "") return { lexemes, trailing: space };
    const negated = rest[0] === "-" && rest.length > 1 && !blank.test(String.fromCodePoint(rest.codePointAt(1)!));
    const start = negated ? 1 : 0;
    const lexeme = rest[start] === '"' ? quoted(rest, start) : bare(rest, start);
    lexemes.push({ space, negated, ...lexeme });
    rest = rest.slice(lexeme.raw.length);
  }
}

function quoted(rest: string, start: number): { raw: string; quoted: true; body: string } {
  const close = rest.indexOf('"', start + 1);
  const end = close === -1 ? rest.length : close + 1;
  return { raw: rest.slice(0, end), quoted: true, body: rest.slice(start + 1, close === -1 ? end : close) };
}

function bare(rest: string, start: number): { raw: string; quoted: false; body: string } {
  const match = rest.slice(start).match(blank);
  const end = match?.index === undefined ? rest.length : start + match.index;
  return { raw: rest.slice(0, end), quoted: false, body: rest.slice(start, end) };
}

/// Which tokens are operators, walking them as the service does (operators first, then `or`).
function classify(lexemes: readonly Lexeme[]): (SearchOperator | null)[] {
  const operators: (SearchOperator | null)[] = lexemes.map(() => null);
  let index = 0;
  while (index < lexemes.length) {
    const lexeme = lexemes[index];
    index += 1;
    const operator = !lexeme.negated && !lexeme.quoted ? operatorOf(lexeme.body) : null;
    if (operator) {
      operators[index - 1] = operator;
      continue;
    }
    if (!isCondition(lexeme)) continue;
    // `x or y`: y is an alternative of x, never an operator.
    while (index + 1 < lexemes.length && isOr(lexemes[index]) && isCondition(lexemes[index + 1]) && !lexemes[index + 1].negated && !lexeme.negated) {
      index += 2;
    }
  }
  return operators;
}

function isCondition(lexeme: Lexeme): boolean {
  return !lexeme.quoted || !onlySpaces.test(lexeme.body);
}

function isOr(lexeme: Lexeme): boolean {
  return !lexeme.negated && !lexeme.quoted && (lexeme.body === "or" || lexeme.body === "OR");
}

function operatorOf(word: string): SearchOperator | null {
  const colon = word.indexOf(":");
  if (colon <= 0 || colon === word.length - 1) return null;
  const name = word.slice(0, colon).toLowerCase();
  const value = word.slice(colon + 1);
  switch (name) {
    case "in":
    case "after":
    case "before":
      return { kind: name, value };
    case "from":
      return { kind: "from", value: value.startsWith("@") ? value.slice(1) : value };
    case "has":
      return hasOperator(value.toLowerCase());
    case "is":
      return value.toLowerCase() === "thread" ? { kind: "is", value: "thread" } : null;
    default:
      return null;
  }
}

function hasOperator(value: string): SearchOperator | null {
  if (["attachment", "attachments", "file", "files"].includes(value)) return { kind: "has", value: "attachment" };
  if (value === "link" || value === "links") return { kind: "has", value: "link" };
  return null;
}

function withDerived(tokens: QueryToken[], trailing: string): ParsedQuery {
  const free = tokens.filter((token) => token.operator === null);
  const text = trim(free.map((token) => token.space + token.raw).join(""));
  const operators = tokens.flatMap((token) => (token.operator ? [token.operator] : []));
  return { tokens, trailing, text, operators };
}

// Writing.

/// `has:link` and `has:attachment` are separate sorts; the other kinds are one each.
function slotOf(operator: SearchOperator): string {
  return operator.kind === "has" || operator.kind === "is" ? `${operator.kind}:${operator.value}` : operator.kind;
}

/// An operator as it reads back (`has:links` is `has:link`, `from:@bob` is `from:bob`), or null
/// when its written form is not an operator at all.
function normalized(operator: SearchOperator): SearchOperator | null {
  return operatorOf(formatOperator(operator));
}

/// Every operator of `slot` replaced by `operators`: written where the first of them was (kept as
/// written when it already says the same), the others removed; appended when there was none.
function replaceSlot(parsed: ParsedQuery, slot: string, operators: readonly SearchOperator[]): string {
  const inSlot = (token: QueryToken) => token.operator !== null && slotOf(token.operator) === slot;
  const first = parsed.tokens.findIndex(inSlot);
  if (first === -1) return operators.length === 0 ? formatQuery(parsed) : appendOperators(parsed, operators);
  const keep = operators.length === 1 && sameOperator(parsed.tokens[first].operator!, operators[0]);
  const tokens = parsed.tokens.map((token, index): Edited => {
    if (index !== first) return inSlot(token) ? { ...token, removed: true } : token;
    if (operators.length === 0) return { ...token, removed: true };
    return keep ? token : { ...token, raw: operators.map(formatOperator).join(" ") };
  });
  const expected = parsed.tokens.flatMap((token, index) => (index === first ? operators : inSlot(token) || !token.operator ? [] : [token.operator]));
  return settled(parsed, tokens, expected);
}

function without(parsed: ParsedQuery, matches: (operator: SearchOperator) => boolean): string {
  const tokens = parsed.tokens.map((token): Edited => (token.operator !== null && matches(token.operator) ? { ...token, removed: true } : token));
  return settled(parsed, tokens, parsed.operators.filter((operator) => !matches(operator)));
}

/// The edited query, when it reads as the same free text with the operators expected. It may not:
/// removing `from:a` from `x from:a or from:b` leaves `x or from:b`, where `from:b` is a word.
/// Then the operators go in front of the free text (`from:b x or`), which reads right unless the
/// operators kept `or`s apart (`x is:thread or or is:thread`): there, last, an empty phrase takes
/// each removed operator's place, which the service passes over just as it did the operator.
function settled(parsed: ParsedQuery, tokens: readonly Edited[], operators: readonly SearchOperator[]): string {
  const edited = joinKept(tokens, parsed.trailing);
  if (readsAs(parseQuery(edited), parsed.text, operators)) return edited;
  const composed = composeQuery(parsed.text, operators);
  if (readsAs(parseQuery(composed), parsed.text, operators)) return composed;
  return joinKept(
    tokens.map((token) => (token.removed ? { ...token, raw: '""', removed: false } : token)),
    parsed.trailing,
  );
}

type Edited = QueryToken & { removed?: boolean };

/// The tokens not removed, each with the blanks before it, except that the query's first token
/// left takes the blanks the query began with; a removed token takes its own blanks with it (a
/// token after an operator always has blanks of its own: an operator ends at a blank). Nothing
/// left is the empty query.
function joinKept(tokens: readonly Edited[], trailing: string): string {
  const kept = tokens.filter((token) => !token.removed);
  if (kept.length === 0) return "";
  const leading = tokens[0].space;
  return kept.map((token, index) => (index === 0 ? leading : token.space) + token.raw).join("") + trailing;
}

/// The operators after the query (or before it, when the end of the query would take them in: an
/// open quote, or `x or` in front of them). In front always reads right: operators are read
/// before anything else, and the query's own tokens are read as they were.
function appendOperators(parsed: ParsedQuery, operators: readonly SearchOperator[]): string {
  const query = formatQuery(parsed);
  const written = operators.map(formatOperator).join(" ");
  if (written === "") return query;
  if (trim(query) === "") return written;
  const appended = query + (endsBlank.test(query) ? "" : " ") + written;
  if (readsAs(parseQuery(appended), parsed.text, [...parsed.operators, ...operators])) return appended;
  return written + (blank.test(query[0]) ? "" : " ") + query;
}

function readsAs(parsed: ParsedQuery, text: string, operators: readonly SearchOperator[]): boolean {
  return parsed.text === text && parsed.operators.length === operators.length && parsed.operators.every((operator, index) => sameOperator(operator, operators[index]));
}

function trim(text: string): string {
  return text.replace(leadingBlanks, "").replace(trailingBlanks, "");
}
