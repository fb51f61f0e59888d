/**
 * Whether an error means "PostgreSQL cannot be reached right now" (down, restarting, refusing
 * connections, the pool timed out waiting for a connection) rather than a fault of the request or of the
 * code. Those errors are answered 503 with Retry-After (the client tries again; the pool reconnects by
 * itself), never 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return true;
    // TypeORM wraps the driver's error (QueryFailedError.driverError); `cause` for other wrappers.
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** How many seconds a client is told to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * 57P01 admin_shutdown (the server is stopping), 57P02 crash_shutdown, 57P03 cannot_connect_now (still
 * starting or in recovery), 53300 too_many_connections; class 08 (connection exceptions) by prefix.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors of node-postgres while it connects or talks to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** node-postgres and pg-pool messages without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // "…unexpectedly", "…due to connection timeout"
  /^timeout exceeded when trying to connect$/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable$/,
  /^Connection ended unexpectedly$/,
];

/**
 * The connection of a transaction broke mid-way (TypeORM then releases its query runner, and the next
 * statement or the COMMIT fails with "Query runner already released"): the server rolled the transaction
 * back. SQLSTATE 08006 connection_failure, so {@link isDatabaseUnavailable} recognises it.
 */
export class DatabaseConnectionLost extends Error {
  readonly code = '08006';

  constructor(cause: unknown) {
    super('The database connection was lost during the transaction (rolled back)', { cause });
    this.name = 'DatabaseConnectionLost';
  }
}
