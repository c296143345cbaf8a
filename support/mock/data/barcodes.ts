import { hashSeed } from '../random.ts';

/**
 * 12-digit barcodes as a reversible scramble of a ticket's number (its position among all baskets and
 * Partners tickets): unique, stable, live-looking, and a barcode leads back to its ticket without an index.
 */

const SPACE = 900_000_000_000n; // 2^11 · 3^2 · 5^11: the multiplier must share no factor with it
const FIRST = 100_000_000_000n;
const MULTIPLIER = 123_456_789_011n;

export class BarcodeCodec {
  private readonly offset: bigint;
  private readonly inverse: bigint;

  constructor(seed: number) {
    this.offset = BigInt(hashSeed(seed, 'barcodes')) * 9_973n;
    this.inverse = modularInverse(MULTIPLIER, SPACE);
  }

  encode(ticketNumber: number): string {
    return String(FIRST + ((BigInt(ticketNumber) * MULTIPLIER + this.offset) % SPACE));
  }

  /** The ticket number of a barcode, or -1 when it is not one of ours. */
  decode(barcode: string): number {
    if (!/^\d{12}$/.test(barcode)) return -1;
    const scrambled = BigInt(barcode) - FIRST;
    if (scrambled < 0n) return -1;
    const value = ((((scrambled - this.offset) % SPACE) + SPACE) % SPACE * this.inverse) % SPACE;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  }
}

function modularInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('BarcodeCodec: multiplier is not invertible');
  return ((oldS % m) + m) % m;
}
