import { base, en, Faker, ru } from '@faker-js/faker';
import { hashSeed } from '../random.ts';

/**
 * Russian test persons and texts from @faker-js/faker (ru locale). One private Faker instance, re-seeded
 * per entity: rendering is synchronous, so each entity's values depend only on the seed and its key.
 */

const faker = new Faker({ locale: [ru, en, base] });

export function seededFaker(...parts: (number | string)[]): Faker {
  faker.seed(hashSeed(...parts));
  return faker;
}

export interface Person {
  name: string;
  surname: string | null;
  middlename: string | null;
  email: string;
  phone: string;
}

/** A person with a Russian name; `uniqueTag` makes the email unique (clients are looked up by email). */
export function fakePerson(f: Faker, options: { uniqueTag?: number; surnameChance?: number; middlenameChance?: number } = {}): Person {
  const sex = f.person.sexType();
  const name = f.person.firstName(sex);
  const lastName = f.person.lastName(sex);
  const surname = f.number.float() < (options.surnameChance ?? 0.98) ? lastName : null;
  const middlename = f.number.float() < (options.middlenameChance ?? 0) ? f.person.middleName(sex) : null;
  const email = f.internet.email({ firstName: name, lastName }).toLowerCase();
  const tagged = options.uniqueTag === undefined ? email : email.replace('@', `_${options.uniqueTag}@`);
  return { name, surname, middlename, email: tagged, phone: `+79${f.string.numeric(9)}` };
}

/** The tag fakePerson put into a client's email, or null. */
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
