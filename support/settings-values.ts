import { z } from 'zod';

/**
 * How a setting's text becomes a value, for every setting of the suite (support/config.ts, the mock's
 * settings): an empty value means "not set"; anything else must parse, so " " or "2x" is an error, never 0.
 */

export const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const numberText = (pattern: RegExp, what: string) =>
  z
    .string()
    .refine((text) => pattern.test(text), { error: (issue) => `must be ${what}, not ${JSON.stringify(issue.input)}` })
    .transform(Number);

/** A whole number ≥ 0 (any integer with `signed`), or undefined when unset. */
export const optionalWholeNumber = (signed = false) =>
  z.preprocess(emptyToUndefined, numberText(signed ? /^-?\d+$/ : /^\d+$/, signed ? 'a whole number' : 'a whole number of 0 or more').optional());

/** A whole number ≥ 0; unset gives `fallback`. */
export const wholeNumber = (fallback: number) => optionalWholeNumber().transform((n) => n ?? fallback);

/** A number ≥ 0, decimals allowed. */
export const decimal = () => z.preprocess(emptyToUndefined, numberText(/^\d+(\.\d+)?$/, 'a number of 0 or more').optional());

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** true/false, 1/0, yes/no (any case); unset is false. */
export const flag = z.preprocess(
  (value) => (value === undefined || value === '' ? 'false' : value),
  z
    .string()
    .refine((text) => [...TRUE, ...FALSE].includes(text.toLowerCase()), { error: (issue) => `must be true/false, 1/0 or yes/no, not ${JSON.stringify(issue.input)}` })
    .transform((text) => TRUE.includes(text.toLowerCase())),
);

/** A whole number ≥ 1 (a bound: 0 would mean "nothing allowed"); unset gives `fallback`. */
export const positiveWholeNumber = (fallback: number) =>
  z.preprocess(emptyToUndefined, numberText(/^[1-9]\d*$/, 'a whole number of 1 or more').optional()).transform((n) => n ?? fallback);
