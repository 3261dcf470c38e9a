/**
 * Whether an error is the database being away or busy (worth trying again in a moment) rather
 * than something wrong with the message itself: a locked SQLite file, a dropped or refused
 * PostgreSQL connection, a pool or transaction timeout, a serialization conflict.
 */
export function isTransientDbError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; depth++) {
    const { code, message, kind, meta } = e as Record<string, unknown>
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true
    const text = `${typeof message === 'string' ? message : ''} ${typeof kind === 'string' ? kind : ''}`
    if (TRANSIENT_TEXT.test(text)) return true
    // Prisma keeps the driver adapter's error in `meta` or `cause`
    e =
      (e as { cause?: unknown }).cause ??
      (meta as { driverAdapterError?: unknown })?.driverAdapterError
  }
  return false
}

const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'P1001', // can't reach the database server
  'P1002', // the server timed out
  'P1008', // operations timed out (a SQLite file locked past the busy timeout)
  'P1017', // the server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (a transaction that timed out or whose connection died)
  'P2034', // write conflict or deadlock: retry
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
])

const TRANSIENT_TEXT =
  /database is locked|SQLITE_BUSY|Connection terminated|connection (?:is )?closed|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|Can't reach database|Transaction already closed|Unable to start a transaction|DatabaseNotReachable|ConnectionClosed|SocketTimeout|Socket timeout|Operations timed out|TransactionWriteConflict|TooManyConnections/i
