import type { z } from 'zod';
import type { ContractIssue, DriftItem } from '../core/outcome.ts';
import { maskPayload, maskValue } from '../masking.ts';

/**
 * Turns zod issues into the two lists of a contract result: readable failures (with concrete paths) and
 * drift (unknown keys, with normalised paths). Strict objects report unknown keys as `unrecognized_keys`;
 * those never fail a contract, also when they sit inside a union branch.
 */

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

interface Problem {
  path: Path;
  issue: Issue;
  /** Set for a union whose every branch failed at its root: the alternatives it accepts. */
  alternatives?: string[];
}

interface Findings {
  problems: Problem[];
  unknownKeys: Path[];
}

export const MAX_ISSUES = 20;

/** The issues found (at most MAX_ISSUES; `omitted` counts the rest) and the drift. */
export function analyse(schema: z.ZodType, body: unknown, issues: readonly Issue[]): { issues: ContractIssue[]; omitted: number; drift: DriftItem[] } {
  const findings: Findings = { problems: [], unknownKeys: [] };
  collect(issues, [], findings);
  return { ...describeProblems(findings.problems, body), drift: describeDrift(schema, findings.unknownKeys, body) };
}

function collect(issues: readonly Issue[], base: Path, into: Findings): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) into.unknownKeys.push([...path, key]);
    } else if (issue.code === 'invalid_union') {
      resolveUnion(issue.errors, path, into);
    } else {
      into.problems.push({ path, issue });
    }
  }
}

/**
 * A union failed: if a branch failed only on unknown keys, the value matches that branch (drift only).
 * Otherwise report the branch that came closest, or, when every branch failed at the value itself,
 * one problem listing what the union accepts.
 */
function resolveUnion(branches: readonly (readonly Issue[])[], path: Path, into: Findings): void {
  const results = branches.map((issues) => {
    const findings: Findings = { problems: [], unknownKeys: [] };
    collect(issues, path, findings);
    return findings;
  });
  const matching = results.find((r) => r.problems.length === 0);
  if (matching) {
    into.unknownKeys.push(...matching.unknownKeys);
    return;
  }
  const near = results.filter((r) => !r.problems.every((p) => isRootMismatch(p, path)));
  if (near.length === 0) {
    const alternatives = [...new Set(results.flatMap((r) => r.problems.flatMap((p) => p.alternatives ?? [acceptedAt(p.issue)])))];
    into.problems.push({ path, issue: results[0].problems[0].issue, alternatives });
    return;
  }
  const closest = near.reduce((best, r) => (r.problems.length < best.problems.length ? r : best));
  into.problems.push(...closest.problems);
  into.unknownKeys.push(...closest.unknownKeys);
}

/** The branch rejected the value as a whole (wrong type, wrong literal, non-empty where `[]` is expected). */
function isRootMismatch(problem: Problem, unionPath: Path): boolean {
  if (problem.path.length !== unionPath.length) return false;
  const { issue } = problem;
  return issue.code === 'invalid_type' || issue.code === 'invalid_value' || (issue.code === 'too_big' && issue.origin === 'array' && Number(issue.maximum) === 0);
}

function acceptedAt(issue: Issue): string {
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(' | ');
  // In these contracts the only tuples among union options are PHP's empty map `[]`.
  if (issue.code === 'too_big' || (issue.code === 'invalid_type' && issue.expected === 'tuple')) return '[]';
  return issue.code === 'invalid_type' ? typeName(issue.expected) : issue.code;
}

const TYPE_NAMES: Record<string, string> = { int: 'integer', record: 'object', tuple: 'array' };
const typeName = (expected: string): string => TYPE_NAMES[expected] ?? expected;

// ---- problems ---------------------------------------------------------------------------------------

function describeProblems(problems: Problem[], body: unknown): { issues: ContractIssue[]; omitted: number } {
  if (problems.length === 0) return { issues: [], omitted: 0 };
  // Received values are quoted from the masked body, so a mistyped personal field never leaks.
  const masked = maskPayload(body);
  const issues = problems.slice(0, MAX_ISSUES).map((p) => ({ path: formatPath(p.path), message: describeIssue(p, body, masked) }));
  return { issues, omitted: Math.max(0, problems.length - MAX_ISSUES) };
}

function describeIssue({ path, issue, alternatives }: Problem, body: unknown, masked: unknown): string {
  if (!isPresent(body, path)) return 'required field missing';
  const received = describeReceived(valueAt(body, path), valueAt(masked, path));
  if (alternatives) return `expected ${alternatives.join(' | ')}, received ${received}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeName(issue.expected)}, received ${received}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, received ${received}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? `expected an ISO-8601 datetime with offset, received ${received}` : `${issue.message}, received ${received}`;
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      return `${issue.message}, received ${received}`;
  }
}

function isPresent(body: unknown, path: Path): boolean {
  if (path.length === 0) return body !== undefined;
  const parent = valueAt(body, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.hasOwn(parent, path[path.length - 1]);
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const SNIPPET = 40;

/** The type of the raw value, with a snippet of its masked form. */
function describeReceived(raw: unknown, masked: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return `array (${raw.length} items)`;
  if (typeof raw === 'object') return 'object';
  const text = String(masked);
  if (typeof raw === 'string' && /^\s*</.test(text)) return `markup text, not JSON (${text.length} chars: ${JSON.stringify(text.slice(0, SNIPPET))}…)`;
  const snippet = text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
  return `${typeof raw} (${typeof raw === 'string' ? JSON.stringify(snippet) : snippet})`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `data[3].baskets[1].price`; keys that are not identifiers are quoted: `seats["1;2"]`. */
export function formatPath(path: Path): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

// ---- drift ------------------------------------------------------------------------------------------

function describeDrift(schema: z.ZodType, unknownKeys: Path[], body: unknown): DriftItem[] {
  const byPath = new Map<string, DriftItem>();
  for (const path of unknownKeys) {
    const normalised = normalisePath(schema, path);
    const item = byPath.get(normalised);
    if (item) item.count += 1;
    else byPath.set(normalised, { path: normalised, count: 1, example: driftExample(valueAt(body, path)) });
  }
  return [...byPath.values()];
}

/** Unknown keys may hold anything, personal data included: only the type and a masked value are kept. */
function driftExample(value: unknown): string {
  if (value === null || typeof value === 'boolean' || value === '') return JSON.stringify(value);
  if (Array.isArray(value)) return `array (${value.length} items)`;
  if (typeof value === 'object') return `object (${Object.keys(value as object).length} keys)`;
  return `${typeof value} ${maskValue(String(value))}`;
}

type Def = { type: string; [key: string]: any };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The concrete schemas a (possibly wrapped) schema stands for: unions, optional, nullable, lazy are opened. */
function concrete(schema: unknown): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return concrete(def.innerType);
    case 'lazy':
      return concrete(def.getter());
    case 'pipe':
      return concrete(def.in);
    case 'union':
      return (def.options as unknown[]).flatMap(concrete);
    default:
      return [def];
  }
}

/**
 * `data[*].shows[*].scheme_properties.zones.{key}.new_key`: array indices become `[*]` and the keys of
 * record maps (zones, seats, rows, offers…) become `{key}`, found by walking the schema along the path.
 */
export function normalisePath(schema: z.ZodType, path: Path): string {
  let defs = concrete(schema);
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') {
      out += '[*]';
      defs = defs.flatMap((d) => (d.type === 'array' ? concrete(d.element) : d.type === 'tuple' ? (d.items as unknown[]).flatMap(concrete) : []));
      continue;
    }
    const name = String(key);
    const fields = defs.filter((d) => d.type === 'object' && Object.hasOwn(d.shape, name)).flatMap((d) => concrete(d.shape[name]));
    const records = defs.filter((d) => d.type === 'record');
    const segment = fields.length === 0 && records.length > 0 ? '{key}' : name;
    out += out ? `.${segment}` : segment;
    defs = fields.length > 0 ? fields : records.flatMap((d) => concrete(d.valueType));
  }
  return out;
}
