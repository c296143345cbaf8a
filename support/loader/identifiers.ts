const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `database.table`, refusing anything but plain identifiers: both are spliced into SQL text. */
export function qualified(database: string, table: string): string {
  for (const name of [database, table]) if (!IDENTIFIER.test(name)) throw new Error(`Not a plain ClickHouse identifier: ${JSON.stringify(name)}`);
  return `${database}.${table}`;
}
