import { z } from 'zod';
import { CLOCK_MODES } from './clock.ts';
import { emptyToUndefined, optionalWholeNumber } from '../settings-values.ts';
import { HOSTILE_KINDS } from './faults.ts';

/** The mock's settings, shared by `npm run mock` and by the run's own mock (support/config.ts). */

const count = optionalWholeNumber().refine((n) => n !== 0, 'must be 1 or more');

/** Fault rules as support/mock/faults.ts applies them (MOCK_FAULTS, a JSON array). */
export const faultRules = z.array(
  z
    .object({
      method: z.string().optional(),
      path: z.string().optional(),
      kind: z.enum(['status', 'slow', 'reset', 'truncated-json', 'html-200', 'wrong-content-type', 'drop-field', 'add-field', 'accept-any-token', 'traversal-ids', ...HOSTILE_KINDS]),
      status: z.number().int().min(400).max(599).optional(),
      retryAfterSeconds: z.number().nonnegative().optional(),
      delayMs: z.number().int().nonnegative().optional(),
      field: z.string().min(1).optional(),
      times: z.number().int().positive().optional(),
      bytes: z.number().int().positive().optional(),
      depth: z.number().int().positive().optional(),
    })
    .strict()
    .refine((rule) => rule.kind !== 'status' || rule.status !== undefined, 'a "status" fault needs a status (400-599)')
    .refine((rule) => rule.kind !== 'slow' || rule.delayMs !== undefined, 'a "slow" fault needs delayMs')
    .refine((rule) => rule.kind !== 'drop-field' || rule.field !== undefined, 'a "drop-field" fault needs field (e.g. "data.0.payed")')
    .refine((rule) => rule.kind !== 'add-field' || rule.field !== undefined, 'an "add-field" fault needs field (e.g. "data.0.new_field")'),
);

const jsonFaults = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return [];
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'MOCK_FAULTS must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(faultRules),
);

export const mockSettingsShape = {
  MOCK_TENANT: z.preprocess(emptyToUndefined, z.enum(['live', 'doc']).default('live')),
  MOCK_FILTER_MODE: z.preprocess(emptyToUndefined, z.enum(['honour', 'ignore', '503']).default('honour')),
  /** No default here: the run's mock is `fixed` (startMock's default), `npm run mock` is `now` (cli.ts). */
  MOCK_CLOCK: z.preprocess(emptyToUndefined, z.enum(CLOCK_MODES).optional()),
  MOCK_ORDERS: count,
  MOCK_CLIENTS: count,
  MOCK_EVENTS: count,
  MOCK_SEED: optionalWholeNumber(true),
  MOCK_FAULTS: jsonFaults,
};

export type MockSettings = z.infer<z.ZodObject<typeof mockSettingsShape>>;

/** startMock options from validated settings (credentials, host and port come from the caller). */
export function mockOptions(settings: MockSettings) {
  return {
    tenant: settings.MOCK_TENANT,
    filterMode: settings.MOCK_FILTER_MODE,
    clock: settings.MOCK_CLOCK,
    size: { orders: settings.MOCK_ORDERS, clients: settings.MOCK_CLIENTS, events: settings.MOCK_EVENTS },
    seed: settings.MOCK_SEED,
    faults: settings.MOCK_FAULTS,
  };
}
