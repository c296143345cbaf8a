import { z } from 'zod';

/**
 * Building blocks shared by the REST and Partners contracts. Every object is strict: an unknown key is a
 * zod `unrecognized_keys` issue, which checkContract reports as drift instead of a failure.
 */

export const int = z.int();
export const money = z.number();
export const str = z.string();
/** 0|1 flags: catalogue `is_active`, Partners `paid` and `deleted`. */
export const flag01 = z.literal([0, 1]);
/** Every timestamp is ISO-8601 with an offset (live: always +03:00). */
export const timestamp = z.iso.datetime({ offset: true });
export const coords = z.tuple([z.number(), z.number()]);

/**
 * PHP serialises an empty map as `[]` (sometimes as `""`), so every map-typed field accepts both
 * besides the map itself.
 */
export function phpMap<T extends z.ZodType>(map: T) {
  return z.union([z.tuple([]), z.literal(''), map]);
}

/** A map keyed by ids (zones, seats, rows, offers), with the PHP empty-map quirk. */
export function idMap<T extends z.ZodType>(value: T) {
  return phpMap(z.record(z.string(), value));
}

/** Fields whose shape was never observed and is not documented (e.g. `services`, `modifiers`, `refunds`). */
export const unknownList = z.array(z.unknown());
