import type { Faker, Randomizer, SexType } from '@faker-js/faker';
// The locale entry, not the package root: the root loads all 70 locales (a quarter of a second per process).
import { faker } from '@faker-js/faker/locale/ru';
import { hashSeed, Rng } from '../random.ts';

/**
 * Russian test persons and texts from @faker-js/faker (ru locale). Faker instances are private and re-seeded
 * per entity: rendering is synchronous, so each entity's values depend only on the seed and its key.
 */

export function seededFaker(...parts: (number | string)[]): Faker {
  faker.seed(hashSeed(...parts));
  return faker;
}

/** faker on the mock's Rng: seeding it is one assignment, where faker's Mersenne Twister fills 624 words. */
function rngRandomizer(): Randomizer {
  let rng = new Rng(0);
  return {
    next: () => rng.next(),
    seed: (seed) => {
      rng = new Rng(Array.isArray(seed) ? hashSeed(...seed) : seed);
    },
  };
}

/** faker's ru instance holds ru, then en, then base; its class takes the same definitions and our randomizer. */
const FakerClass = faker.constructor as typeof Faker;
const personFaker = new FakerClass({ locale: faker.rawDefinitions, randomizer: rngRandomizer() });

export interface Person {
  name: string;
  surname: string | null;
  middlename: string | null;
  email: string;
  phone: string;
}

interface PooledPerson {
  name: string;
  lastName: string;
  middleName: string;
  email: string;
}

/** 16k pooled persons for 340k baskets and 93k clients at the live scale: a person repeats about once a page. */
const POOL_SIZE = 1 << 14;

/**
 * The tenant's persons. faker makes a pooled person (~10 µs) the first time one is drawn, from the tenant seed
 * and its slot alone; an entity then picks a slot and draws the rest (phone, which names show) from its own
 * stream, so a basket or client costs a few draws.
 */
export class PersonPool {
  private readonly slots = new Array<PooledPerson | undefined>(POOL_SIZE);

  constructor(private readonly seed: number) {}

  /** A person for an entity; `uniqueTag` makes the email unique (clients are looked up by email). */
  draw(rng: Rng, options: { uniqueTag?: number; surnameChance?: number; middlenameChance?: number } = {}): Person {
    const slot = rng.int(0, POOL_SIZE - 1);
    const pooled = (this.slots[slot] ??= this.make(slot));
    const surname = rng.chance(options.surnameChance ?? 0.98) ? pooled.lastName : null;
    const middlename = rng.chance(options.middlenameChance ?? 0) ? pooled.middleName : null;
    const email = options.uniqueTag === undefined ? pooled.email : pooled.email.replace('@', `_${options.uniqueTag}@`);
    return { name: pooled.name, surname, middlename, email, phone: `+79${rng.digits(9)}` };
  }

  private make(slot: number): PooledPerson {
    personFaker.seed(hashSeed(this.seed, 'person', slot));
    const sex: SexType = personFaker.person.sexType();
    const name = personFaker.person.firstName(sex);
    const lastName = personFaker.person.lastName(sex);
    const middleName = personFaker.person.middleName(sex);
    return { name, lastName, middleName, email: personFaker.internet.email({ firstName: name, lastName }).toLowerCase() };
  }
}

/** The tag PersonPool.draw put into a client's email, or null. */
export function emailTag(email: string): number | null {
  const match = /_(\d+)@/.exec(email);
  return match ? Number(match[1]) : null;
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** A URL slug of a Russian text, as the site makes them (`korporatsiya-kubikov`). */
export function slugify(text: string): string {
  const latin = [...text.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join('');
  return latin.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'event';
}
