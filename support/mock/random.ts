/**
 * Deterministic randomness. Every generated entity draws from its own stream, seeded from the tenant
 * seed and the entity's kind and position, so any entity can be rebuilt alone (lazily) with the same bytes.
 */

/** A 32-bit hash of the parts (FNV-1a over their text, then an avalanche mix). */
export function hashSeed(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h = Math.imul(h, 0x01000193); // the terminating NUL (h ^= 0)
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const ALPHANUMERIC = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].map((ch) => ch.charCodeAt(0));
const ZERO = '0'.charCodeAt(0);

/** mulberry32: small, fast and good enough for test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(...parts: (number | string)[]): Rng {
    return new Rng(hashSeed(...parts));
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  // Strings built from char codes in one go: a `+=` chain leaves a rope that JSON.stringify has to flatten.
  alphanumeric(length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = ALPHANUMERIC[Math.floor(this.next() * ALPHANUMERIC.length)];
    return String.fromCharCode(...codes);
  }

  /** `length` digits, the first not 0. */
  digits(length: number): string {
    const codes = new Array<number>(length);
    codes[0] = ZERO + this.int(1, 9);
    for (let i = 1; i < length; i++) codes[i] = ZERO + this.int(0, 9);
    return String.fromCharCode(...codes);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [index: number]: any }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }
}
