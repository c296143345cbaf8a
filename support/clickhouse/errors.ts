/** ClickHouse could not be started or reached; the message is meant for the user as it stands. */
export class ClickHouseStartError extends Error {
  override name = 'ClickHouseStartError';
}

/** Database names go into DDL unquoted (as in production), so only plain identifiers are accepted. */
export function checkDatabaseName(database: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new ClickHouseStartError(`The ClickHouse database name "${database}" must be a plain identifier (letters, digits, _).`);
  }
}
