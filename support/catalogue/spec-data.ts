import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { VERIFIED_TABLES } from '../clickhouse/tables.ts';
import { dataPath } from '../paths.ts';

/** The spec's own text of the 51 IDs, read once from data/spec-requests.json and checked on load. */

const specFile = dataPath('spec-requests.json');
const specBytes = readFileSync(specFile);

const tableName = z.enum([...VERIFIED_TABLES, 'dim_events']);
const requestShape = z.object({ method: z.string(), path: z.string(), body: z.unknown().optional(), per: z.string().optional() });
const specRecord = z.object({
  id: z.string().regex(/^[1-7]\.\d{1,2}$/),
  title: z.string(),
  title_ru: z.string(),
  spec_ref: z.string(),
  api: z.enum(['rest', 'partners']),
  method: z.string(),
  path: z.string(),
  examples: z.array(z.string()),
  body: z.unknown(),
  headers: z.record(z.string(), z.string()).nullable(),
  expected_ru: z.string().nullable(),
  kind: z.enum(['read', 'write', 'negative']),
  documented_request: requestShape.nullable(),
  feeds_tables: z.array(tableName),
  live_observation: z.string(),
});

export type SpecRecord = z.infer<typeof specRecord>;

export const specRecords: readonly SpecRecord[] = z.object({ specs: z.array(specRecord).length(51) }).parse(JSON.parse(specBytes.toString('utf8'))).specs;

export const specSource = { file: specFile, sha256: createHash('sha256').update(specBytes).digest('hex') };

export const SECTION_NAMES: Record<string, string> = {
  '1': 'Orders and baskets',
  '2': 'Clients',
  '3': 'Events, shows and seats',
  '4': 'Colour themes, discounts and promo codes',
  '5': 'Barcodes and scanning',
  '6': 'Partners API',
  '7': 'Negative cases',
};
