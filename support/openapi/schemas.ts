import { z } from 'zod';
import { contractNames, contractSchema, type ContractName } from '../contracts/index.ts';
import * as partners from '../contracts/partners.ts';
import * as rest from '../contracts/rest.ts';

/**
 * components/schemas, generated from the zod contracts with zod's own JSON Schema output (draft 2020-12, the
 * dialect of OpenAPI 3.1). Each contract is one component; the entities the contracts share are components of
 * their own, referenced where they are used.
 */

export type JsonSchema = Record<string, unknown>;

/** Shared entities; a contract that uses one refers to it instead of repeating it. */
const ENTITIES: Record<string, z.ZodType> = {
  Order: rest.order,
  Basket: rest.basket,
  Client: rest.client,
  Event: rest.event,
  Show: rest.show,
  ColorTheme: rest.colorTheme,
  Discount: rest.discount,
  PromoCode: rest.promoCode,
  BarcodeListItem: rest.barcodeListItem,
  PartnersTicket: partners.ticket,
};

/** `orders.list` → `OrdersList`, `partners.eventsList` → `PartnersEventsList`. */
export function componentName(contract: ContractName): string {
  return contract
    .split('.')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const contractRef = (contract: ContractName): JsonSchema => schemaRef(componentName(contract));

/**
 * The contracts' objects are strict so that zod names unknown keys, but an unknown key is drift, never a
 * failure (support/contracts/check.ts): the schema accepts what the contract accepts, so it allows extra keys.
 */
function allowUnknownKeys(ctx: { jsonSchema: JsonSchema }): void {
  if (ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties;
}

export function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(ENTITIES)) registry.add(schema, { id });
  for (const contract of contractNames) registry.add(contractSchema(contract), { id: componentName(contract) });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, override: allowUnknownKeys });
  const out: Record<string, JsonSchema> = {};
  // Each component sits inside the document: no dialect or id of its own.
  for (const id of Object.keys(schemas).sort()) {
    const { $schema: _dialect, $id: _id, ...schema } = schemas[id] as JsonSchema;
    out[id] = schema;
  }
  return out;
}
