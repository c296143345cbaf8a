import { createHash } from 'node:crypto';

/**
 * Personal-data masking by exact key and path (audit-report-format.md §4), one rule for artifacts, the
 * JSONL log and the report, plus the leak scan run before archiving.
 */

/** Keys that hold personal data wherever they appear. */
const PERSONAL_KEYS = new Set([
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
  // `spread.client_emails`, nested or as the dotted key a flat-seats `select` may return.
  'client_emails',
  'spread.client_emails',
  // Partners tickets/add: the Fan ID card number.
  'fanid',
  // Access links: whoever has one can open or pay for the ticket.
  'pdf_url',
  'passbook_url',
  'gpass_url',
  'payment_url',
  'cancel_url',
]);

/** Generic keys that are personal only inside a given parent (the nearest enclosing key, array indices skipped). */
const PERSONAL_UNDER: Record<string, ReadonlySet<string>> = {
  details: new Set(['name', 'surname', 'middlename', 'vk_id', 'facebook_id']),
  telegram_user: new Set(['first_name', 'last_name', 'username']),
  fanid_card: new Set(['value']),
  // payments[].name is the seller's legal entity, often a person («ИП Иванов И.И.»).
  payments: new Set(['name']),
};

export const MASKING_RULE =
  'Personal data is masked by exact key and path, never by substring: every non-empty value of the keys ' +
  'email, phone, client_email, client_phone, client_name, client_surname, client_middlename, ' +
  'organization_name, legal_name, work_position, inn, kpp, comment, client_emails (spread.client_emails, ' +
  'element-wise), fanid (Partners request) and the access links pdf_url, passbook_url, gpass_url, payment_url, ' +
  'cancel_url, wherever they appear (context.client_email included); details.{name, surname, middlename, ' +
  'vk_id, facebook_id}; telegram_user.{first_name, last_name, username}; fanid_card.value; payments[].name. ' +
  'A masked value is replaced by "masked:" + the first 8 hex characters of its SHA-256, so equal values stay ' +
  'correlatable; null and empty strings stay as they are. event_name, seat_name, place_name, zone_name and ' +
  'the name of events, shows, discounts and colour themes stay readable. Tokens never appear: at most the ' +
  'first 8 hex characters of their SHA-256.';

/** First 8 hex characters of the SHA-256 of a value (tokens, masked values). */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
}

const MASKED = /^masked:[0-9a-f]{8}$/;

/** 'masked:' + first 8 hex of sha256(value); a value masked already stays as it is. */
export function maskValue(value: string): string {
  return MASKED.test(value) ? value : `masked:${fingerprint(value)}`;
}

function isPersonalKey(key: string, parentKey: string | undefined): boolean {
  return PERSONAL_KEYS.has(key) || (parentKey !== undefined && PERSONAL_UNDER[parentKey]?.has(key) === true);
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

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// +7 and 10 digits, or a formatted 8 (…) number; not inside a longer word or number. A bare 11-digit
// 8XXXXXXXXXX is left to the exact-value search: ad ids in utm_content look just like it.
const PHONE = /(?<![\p{L}\p{N}_+])(?:\+7[\s(-]{0,2}|8[\s(-]{1,2})\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}(?![\p{L}\p{N}_])/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Shorter personal values (initials, two-letter names) match ordinary text too often to be searched. */
const MIN_PERSONAL_LENGTH = 3;

/**
 * Finds raw secrets, raw personal values (as whole words, raw or JSON-escaped) and email or +7/8 phone
 * patterns in a text. Overlapping hits are reported once, the most specific kind first.
 */
export function findLeaks(text: string, needles: { secrets: string[]; personal: string[] }): Leak[] {
  const hits: { kind: LeakKind; raw: string; index: number }[] = [];
  for (const secret of variants(needles.secrets.filter((s) => s.length > 0))) {
    for (let i = text.indexOf(secret); i !== -1; i = text.indexOf(secret, i + 1)) hits.push({ kind: 'secret', raw: secret, index: i });
  }
  for (const hit of findWords(text, variants(needles.personal.filter((p) => p.trim().length >= MIN_PERSONAL_LENGTH)))) hits.push({ kind: 'personal', ...hit });
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
function findWords(text: string, needles: string[]): { raw: string; index: number }[] {
  const byAnchor = new Map<string, { needle: string; offset: number }[]>();
  for (const needle of needles) {
    const words = [...needle.matchAll(WORD)];
    if (words.length === 0) continue;
    const anchor = words.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const list = byAnchor.get(anchor[0]) ?? [];
    list.push({ needle, offset: anchor.index });
    byAnchor.set(anchor[0], list);
  }
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
