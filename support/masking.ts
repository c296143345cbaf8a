import { hash } from 'node:crypto';
import { sortedKeysJson } from './core/json.ts';

/**
 * Personal-data masking by exact key and path (docs/report-format.md §4), one rule for artifacts, the
 * JSONL log and the report, plus the leak scan run before archiving.
 */

/** Keys of people's data that are personal wherever they appear. */
const PEOPLE_KEYS = [
  'email',
  'phone',
  'client_email',
  'client_phone',
  'client_name',
  'client_surname',
  'client_middlename',
  'organization_name',
  'legal_name',
  'work_position',
  'inn',
  'kpp',
  'comment',
];
/** `spread.client_emails`, nested or as the dotted key a flat-seats `select` may return. */
const SPREAD_KEYS = ['client_emails', 'spread.client_emails'];
/** Partners tickets/add: the Fan ID card number. */
const FAN_ID_KEY = 'fanid';
/** Access links: whoever has one can open or pay for the ticket. */
const ACCESS_LINK_KEYS = ['pdf_url', 'passbook_url', 'gpass_url', 'payment_url', 'cancel_url'];

/** Keys that hold personal data wherever they appear. */
const PERSONAL_KEYS: ReadonlySet<string> = new Set([...PEOPLE_KEYS, ...SPREAD_KEYS, FAN_ID_KEY, ...ACCESS_LINK_KEYS]);

/** Generic keys that are personal only inside a given parent (the nearest enclosing key, array indices skipped); `list`: the parent holds a list. */
const PERSONAL_UNDER: Record<string, { keys: ReadonlySet<string>; list?: true }> = {
  details: { keys: new Set(['name', 'surname', 'middlename', 'vk_id', 'facebook_id']) },
  telegram_user: { keys: new Set(['first_name', 'last_name', 'username']) },
  fanid_card: { keys: new Set(['value']) },
  // payments[].name is the seller's legal entity, often a person («ИП Иванов И.И.»).
  payments: { keys: new Set(['name']), list: true },
};

/** `details.{name, surname}`, `payments[].name`: the keys of PERSONAL_UNDER as the rule names them. */
const underText = Object.entries(PERSONAL_UNDER)
  .map(([parent, { keys, list }]) => `${parent}${list ? '[]' : ''}.${keys.size === 1 ? [...keys][0] : `{${[...keys].join(', ')}}`}`)
  .join('; ');

/** The masking rule in words, for the report: built from the key lists above, so it cannot drift from what is masked. */
export const MASKING_RULE =
  'Personal data is masked by exact key and path, never by substring: every non-empty value of the keys ' +
  `${PEOPLE_KEYS.join(', ')}, ${SPREAD_KEYS[0]} (${SPREAD_KEYS[1]}, element-wise), ${FAN_ID_KEY} (Partners request) and the access links ` +
  `${ACCESS_LINK_KEYS.join(', ')}, wherever they appear (context.client_email included); ${underText}. ` +
  'A masked value is replaced by "masked:" + the first 8 hex characters of its SHA-256, so equal values stay ' +
  'correlatable; null and empty strings stay as they are. event_name, seat_name, place_name, zone_name and ' +
  'the name of events, shows, discounts and colour themes stay readable. Tokens never appear: at most the ' +
  'first 8 hex characters of their SHA-256.';

/** First 8 hex characters of the SHA-256 of a value (tokens, masked values). */
export function fingerprint(secret: string): string {
  return hash('sha256', secret, 'hex').slice(0, 8);
}

const MASKED = /^masked:[0-9a-f]{8}$/;

/** 'masked:' + first 8 hex of sha256(value); a value masked already stays as it is. */
export function maskValue(value: string): string {
  return MASKED.test(value) ? value : `masked:${fingerprint(value)}`;
}

function isPersonalKey(key: string, parentKey: string | undefined): boolean {
  return PERSONAL_KEYS.has(key) || (parentKey !== undefined && Object.hasOwn(PERSONAL_UNDER, parentKey) && PERSONAL_UNDER[parentKey].keys.has(key));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * Walks any JSON value and rebuilds it; `personal` receives every scalar under a personal key and returns
 * its replacement. Null, empty strings and booleans are never personal values.
 */
function rebuild(value: unknown, parentKey: string | undefined, inPersonal: boolean, personal: (raw: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebuild(item, parentKey, inPersonal, personal));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = rebuild(child, key, inPersonal || isPersonalKey(key, parentKey), personal);
    return out;
  }
  if (inPersonal && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') && value !== '') return personal(String(value));
  return value;
}

/** A deep copy with every personal value masked (a masked number becomes a masked string). */
export function maskPayload<T>(value: T): T {
  return rebuild(value, undefined, false, maskValue) as T;
}

/** Thrown by the serializer below on a value it leaves to JSON.stringify's own rules (toJSON, bigint, …). */
const UNUSUAL = Symbol('unusual value');
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * How to write the objects of one shape (the same keys in the same order) under one parent key: which key
 * comes at each place of the output, its JSON text, and whether its values are personal. Records of a
 * list share a handful of shapes, so the keys are sorted and looked up once per shape, not per object.
 */
interface Layout {
  /** The object's own keys, in its own order (what identifies the shape). */
  keys: string[];
  /** Output order: the keys sorted. */
  sorted: string[];
  /** `"key":` per output place. */
  prefixes: string[];
  /** isPersonalKey(key, parentKey) per output place. */
  personal: boolean[];
}

/** Layouts by parent key (undefined: the top level), then by first key. */
const layouts = new Map<string | undefined, Map<string, Layout[]>>();
const MAX_LAYOUTS = 20_000;
let layoutCount = 0;

/**
 * `JSON.stringify(maskPayload(value))` with the keys of every object sorted (by UTF-16 code units, as
 * `Array.prototype.sort` does; integer-like keys first in numeric order, where a JS object would put them),
 * in one pass and without building the masked copy. JSON values only: anything JSON.stringify would treat
 * by rules of its own (toJSON, bigint, functions, non-plain objects) falls back to the two-pass way.
 */
export function maskedSortedJson(value: unknown): string {
  try {
    return serialize(value, undefined, false);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
    return sortedKeysJson(maskPayload(value));
  }
}

function isIndexKey(key: string): boolean {
  return INDEX_KEY.test(key) && Number(key) < 4294967295;
}

/** The keys in the order JSON.stringify writes them for an object built from the sorted entries. */
function outputOrder(keys: string[]): string[] {
  const sorted = [...keys].sort();
  // Integer-like keys come first in any JS object, in numeric order: the sorted entries' object did the same.
  if (!sorted.some(isIndexKey)) return sorted;
  return [...sorted.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)), ...sorted.filter((key) => !isIndexKey(key))];
}

function layoutOf(keys: string[], parentKey: string | undefined): Layout {
  let byFirst = layouts.get(parentKey);
  if (byFirst === undefined) layouts.set(parentKey, (byFirst = new Map()));
  const first = keys[0];
  let candidates = byFirst.get(first);
  if (candidates !== undefined) {
    for (const layout of candidates) {
      const known = layout.keys;
      if (known.length !== keys.length) continue;
      let same = true;
      for (let i = 0; i < keys.length; i++) {
        if (known[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return layout;
    }
  } else byFirst.set(first, (candidates = []));
  // maskPayload's copy loses an own `__proto__` key (assigning it sets the prototype): leave such objects to it.
  if (keys.includes('__proto__')) throw UNUSUAL;
  const sorted = outputOrder(keys);
  const layout: Layout = { keys, sorted, prefixes: sorted.map((key) => `${JSON.stringify(key)}:`), personal: sorted.map((key) => isPersonalKey(key, parentKey)) };
  // Bounded: records with keys of their own (a map keyed by ids) must not grow it without end.
  if (layoutCount >= MAX_LAYOUTS) {
    layouts.clear();
    layoutCount = 0;
  } else if (candidates.length < 16) {
    candidates.push(layout);
    layoutCount++;
  }
  return layout;
}

/** Characters JSON.stringify escapes (surrogates: only unpaired ones, which it works out itself). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its set-up cost for the common string that needs no escaping. */
function quote(text: string): string {
  return JSON_ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function serialize(value: unknown, parentKey: string | undefined, inPersonal: boolean): string {
  switch (typeof value) {
    case 'string':
      return inPersonal && value !== '' ? quote(maskValue(value)) : quote(value);
    case 'number':
      if (inPersonal) return quote(maskValue(String(value)));
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : serialize(item, parentKey, inPersonal);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw UNUSUAL;
      const keys = Object.keys(value);
      if (keys.length === 0) return '{}';
      const { sorted, prefixes, personal } = layoutOf(keys, parentKey);
      let out = '{';
      for (let i = 0; i < sorted.length; i++) {
        const key = sorted[i];
        const child: unknown = (value as Record<string, unknown>)[key];
        if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
        out += `${out.length === 1 ? '' : ','}${prefixes[i]}${serialize(child, key, inPersonal || personal[i])}`;
      }
      return `${out}}`;
    }
    default:
      // bigint (JSON.stringify throws, or a masked value), undefined at the top level, functions, symbols
      throw UNUSUAL;
  }
}

/** Every raw value maskPayload would mask, for the leak scan. */
export function collectPersonalValues(value: unknown): string[] {
  const found = new Set<string>();
  rebuild(value, undefined, false, (raw) => {
    if (!MASKED.test(raw)) found.add(raw);
    return raw;
  });
  return [...found];
}

// ---- leak scan --------------------------------------------------------------------------------------

/** File in the run's scratch folder listing the raw personal values seen in answers, one per line. */
export const PERSONAL_VALUES_FILE = 'personal-values.txt';

export type LeakKind = 'secret' | 'email' | 'phone' | 'personal';
export interface Leak {
  kind: LeakKind;
  /** The leaked text, masked. */
  match: string;
  index: number;
}

// Starts only where a run of local-part characters starts, and bounded (RFC 5321: 64 + 255), so a long run
// of letters is tried once, not from each of its letters.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.\p{L}{2,63}/gu;
// +7 and 10 digits, or a formatted 8 (…) number; not inside a longer word or number. A bare 11-digit
// 8XXXXXXXXXX is left to the exact-value search: ad ids in utm_content look just like it.
const PHONE = /(?<![\p{L}\p{N}_+])(?:\+7[\s(-]{0,2}|8[\s(-]{1,2})\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}(?![\p{L}\p{N}_])/gu;
// Bounded: an unbounded Unicode run over megabytes of letters overflows the regex engine's stack. A longer
// word is cut into pieces, and a piece never passes the whole-word check below.
const MAX_WORD = 256;
const WORD = new RegExp(`[\\p{L}\\p{N}]{1,${MAX_WORD}}`, 'gu');
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Shorter personal values (initials, two-letter names) match ordinary text too often to be searched. */
const MIN_PERSONAL_LENGTH = 3;

/**
 * A finder of raw secrets, raw personal values (as whole words, raw or JSON-escaped) and email or +7/8
 * phone patterns in a text; the needles are prepared once for many texts. Overlapping hits are reported
 * once, the most specific kind first.
 */
export function leakFinder(needles: { secrets: string[]; personal: string[] }): (text: string) => Leak[] {
  const personal = variants(needles.personal.filter((p) => p.trim().length >= MIN_PERSONAL_LENGTH));
  // Needles whose longest word is longer than a word the finder sees are searched like secrets, verbatim.
  const long = personal.filter((p) => [...p.matchAll(/[\p{L}\p{N}]+/gu)].some((w) => w[0].length > MAX_WORD));
  const secrets = variants(needles.secrets.filter((s) => s.length > 0));
  const findPersonal = wordFinder(personal.filter((p) => !long.includes(p)));
  const scan = (text: string): Leak[] => leaksIn(text, secrets, long, findPersonal);
  const overlap = Math.max(512, ...secrets.map((s) => s.length), ...personal.map((p) => p.length));
  return (text) => inWindows(text, overlap, scan);
}

/** Text is scanned in windows of this many characters (with overlapping margins), whatever its size. */
const WINDOW = 1 << 20;

/** The leaks of a text window by window: a hit belongs to the window it starts in, each window seeing `margin` characters around it. */
function inWindows(text: string, margin: number, scan: (text: string) => Leak[]): Leak[] {
  if (text.length <= WINDOW) return scan(text);
  const leaks: Leak[] = [];
  for (let start = 0; start < text.length; start += WINDOW) {
    const from = Math.max(0, start - margin);
    for (const leak of scan(text.slice(from, start + WINDOW + margin))) {
      const index = leak.index + from;
      if (index >= start && index < start + WINDOW) leaks.push({ ...leak, index });
    }
  }
  return leaks;
}

function leaksIn(text: string, secrets: string[], longPersonal: string[], findPersonal: (text: string) => { raw: string; index: number }[]): Leak[] {
  const hits: { kind: LeakKind; raw: string; index: number }[] = [];
  for (const [kind, needles] of [['secret', secrets], ['personal', longPersonal]] as const) {
    for (const needle of needles) for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) hits.push({ kind, raw: needle, index: i });
  }
  for (const hit of findPersonal(text)) hits.push({ kind: 'personal', ...hit });
  // The email pattern tries every letter as a start: texts without an "@" (masked ones) skip it.
  if (text.includes('@')) for (const m of text.matchAll(EMAIL)) hits.push({ kind: 'email', raw: m[0], index: m.index });
  for (const m of text.matchAll(PHONE)) hits.push({ kind: 'phone', raw: m[0], index: m.index });

  // Hits were gathered most specific kind first; a stable sort keeps that order among equal starts.
  hits.sort((a, b) => a.index - b.index);
  const leaks: Leak[] = [];
  let coveredTo = -1;
  for (const hit of hits) {
    if (hit.index < coveredTo) continue;
    coveredTo = hit.index + hit.raw.length;
    leaks.push({ kind: hit.kind, match: maskValue(hit.raw), index: hit.index });
  }
  return leaks;
}

/** A value as it appears in raw text and inside a JSON string. */
function variants(values: string[]): string[] {
  return [...new Set(values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))];
}

/**
 * Whole-word occurrences of many needles in one pass: each needle is indexed by its longest word, the
 * text's words are looked up, and candidates are confirmed in place. Fast on megabytes and 100k needles.
 */
function wordFinder(needles: string[]): (text: string) => { raw: string; index: number }[] {
  const byAnchor = new Map<string, { needle: string; offset: number }[]>();
  for (const needle of needles) {
    const words = [...needle.matchAll(WORD)];
    if (words.length === 0) continue;
    const anchor = words.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const list = byAnchor.get(anchor[0]) ?? [];
    list.push({ needle, offset: anchor.index });
    byAnchor.set(anchor[0], list);
  }
  // Without needles there is nothing to look up: the text is not split into words at all.
  return byAnchor.size === 0 ? () => [] : (text) => findWords(text, byAnchor);
}

function findWords(text: string, byAnchor: Map<string, { needle: string; offset: number }[]>): { raw: string; index: number }[] {
  const found: { raw: string; index: number }[] = [];
  for (const word of text.matchAll(WORD)) {
    for (const { needle, offset } of byAnchor.get(word[0]) ?? []) {
      const start = word.index - offset;
      const end = start + needle.length;
      if (start < 0 || !text.startsWith(needle, start)) continue;
      if (WORD_CHAR.test(needle[0]) && start > 0 && WORD_CHAR.test(text[start - 1])) continue;
      if (WORD_CHAR.test(needle[needle.length - 1]) && end < text.length && WORD_CHAR.test(text[end])) continue;
      found.push({ raw: needle, index: start });
    }
  }
  return found;
}
