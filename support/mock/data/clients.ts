import { indexOfId } from '../ids.ts';
import { emailTag } from './people.ts';
import type { Client } from './types.ts';

/**
 * Clients: 93k live, so rendered on demand by position; clients created or updated by POST /clients
 * live in an overlay. Emails are unique, and a generated email carries its client id, so a lookup by
 * email needs no index of all emails.
 */
export class ClientDirectory {
  private readonly overlay = new Map<number, Client>();
  private readonly overlayByEmail = new Map<string, number>();

  constructor(
    private readonly ids: number[],
    private readonly idStep: number,
    private readonly render: (index: number, id: number) => Client,
  ) {}

  size(): number {
    return this.ids.length;
  }

  idAt(index: number): number {
    return this.ids[index];
  }

  indexOf(id: number): number {
    return indexOfId(this.ids, id);
  }

  get(index: number): Client | undefined {
    if (index < 0 || index >= this.ids.length) return undefined;
    return this.overlay.get(index) ?? this.render(index, this.ids[index]);
  }

  findByEmail(email: string): number {
    const wanted = email.trim().toLowerCase();
    const known = this.overlayByEmail.get(wanted);
    if (known !== undefined) return known;
    const tag = emailTag(wanted);
    const index = tag === null ? -1 : this.indexOf(tag);
    return index >= 0 && this.get(index)!.email === wanted ? index : -1;
  }

  /** Creates the client, or updates the one with this email; returns it and whether it is new. */
  upsert(email: string, details: Partial<Client['details']>): { client: Client; created: boolean } {
    let index = this.findByEmail(email);
    const created = index < 0;
    if (created) {
      index = this.ids.length;
      const id = this.ids[index - 1] + this.idStep;
      this.ids.push(id);
      this.overlay.set(index, {
        id,
        email: email.trim().toLowerCase(),
        details: { id: 9_000_000 + index, name: '', middlename: null, surname: null, phone: null, vk_id: '', facebook_id: '' },
      });
    }
    const current = this.get(index)!;
    const client: Client = { ...current, details: { ...current.details, ...details } };
    this.overlay.set(index, client);
    this.overlayByEmail.set(client.email, index);
    return { client, created };
  }
}
