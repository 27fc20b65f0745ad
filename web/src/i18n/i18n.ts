// The one translation layer: every string the app shows goes through `t(key, params)`.
// A language is one file in this folder (`en.ts` is the source and the fallback; the others
// are typed against it, so a missing key fails `tsc`, and test/i18n.test.ts checks them again at
// run time). English is in the first load; other languages load on demand. Plurals follow
// `Intl.PluralRules`, numbers and dates `Intl` in the current language.
import { en, type MessageKey } from "./en";

/// A message: text with `{name}` placeholders, or plural forms chosen by the `count` parameter.
export type Message = string | PluralForms;
export type PluralForms = { one?: string; two?: string; few?: string; many?: string; zero?: string; other: string };
export type Catalog = Record<MessageKey, Message>;
export type Params = Record<string, string | number>;

/// The languages there are: code, name in itself, and how to load it. Adding a language is
/// adding its file and its line here.
export const languages: { code: string; name: string; load: () => Promise<Catalog> }[] = [
  { code: "en", name: "English", load: async () => en },
  { code: "de", name: "Deutsch", load: async () => (await import("./de")).de },
];

let current = "en";
let catalog: Catalog = en;
let plurals = new Intl.PluralRules("en");

export function language(): string {
  return current;
}

/// Switches the language (loading its file first); `<html lang>` follows.
export async function setLanguage(code: string): Promise<void> {
  const entry = languages.find((candidate) => candidate.code === code) ?? languages[0];
  catalog = await entry.load();
  current = entry.code;
  plurals = new Intl.PluralRules(current);
  if (typeof document !== "undefined") document.documentElement.lang = current;
}

/// The first of the browser's languages that the app has, else English.
export function preferredLanguage(browserLanguages: readonly string[]): string {
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split("-")[0];
    if (languages.some((entry) => entry.code === base)) return base;
  }
  return "en";
}

export function t(key: MessageKey, params: Params = {}): string {
  return format(catalog[key] ?? en[key], params);
}

function format(message: Message, params: Params): string {
  let text: string;
  if (typeof message === "string") {
    text = message;
  } else {
    const count = Number(params.count ?? 0);
    text = message[plurals.select(count) as keyof PluralForms] ?? message.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? number(value) : value;
  });
}

// Formatters are costly to make (a long log formats thousands of times while scrolling): one
// per language and options, made on first use.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatter<F>(cache: Map<string, F>, options: object | undefined, make: () => F): F {
  const key = `${current} ${JSON.stringify(options ?? {})}`;
  let made = cache.get(key);
  if (!made) cache.set(key, (made = make()));
  return made;
}

export function number(value: number, options?: Intl.NumberFormatOptions): string {
  return formatter(numberFormats, options, () => new Intl.NumberFormat(current, options)).format(value);
}

// Intl.ListFormat is ES2021 (tsc's lib here is ES2020); every browser the app supports has it.
type ListFormatConstructor = new (locale: string, options: { type: "conjunction"; style: "long" }) => { format(items: string[]): string };

/// "Bob and Carol", "Bob, Carol, and Dan": a list in the current language.
export function list(items: string[]): string {
  const ListFormat = (Intl as unknown as { ListFormat?: ListFormatConstructor }).ListFormat;
  return ListFormat ? new ListFormat(current, { type: "conjunction", style: "long" }).format(items) : items.join(", ");
}

/// Dates and times in the current language.
export function dateTime(date: Date, options: Intl.DateTimeFormatOptions): string {
  return formatter(dateFormats, options, () => new Intl.DateTimeFormat(current, options)).format(date);
}
