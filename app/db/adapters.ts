import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import type { DatabaseTarget } from './database-url.ts'

// PostgreSQL type ids of `char` and `name`, which appear when Prisma's migration engine reads
// pg_catalog; adapter-pg 6.19 rejects them (prisma/orm#27403). Reading them as text is exact.
const PG_CHAR = 18
const PG_NAME = 19
const PG_TEXT = 25

type QueryFn = (...args: unknown[]) => unknown

function catalogTypesAsText(res: pg.QueryResult | undefined): void {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR || field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT
  }
}

function readCatalogTypesAsText(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn
  const patched = (...args: unknown[]): unknown => {
    const last = args.at(-1)
    if (typeof last === 'function') {
      // pg's Pool#query calls the client in callback style
      const callback = last as (err: unknown, res?: pg.QueryResult) => void
      return query(...args.slice(0, -1), (err: unknown, res?: pg.QueryResult) => {
        catalogTypesAsText(res)
        callback(err, res)
      })
    }
    const result = query(...args)
    if (result instanceof Promise) {
      return result.then((res: pg.QueryResult) => {
        catalogTypesAsText(res)
        return res
      })
    }
    return result
  }
  client.query = patched as typeof client.query
}

/** Pool settings from a postgresql:// URL as discrete fields (adapter-pg 6.19 needs them so). */
export function pgPoolConfig(url: string, max = 10): pg.PoolConfig {
  const u = new URL(url)
  return {
    host: decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    max,
  }
}

/**
 * A connection checked out for an interactive transaction goes back to the pool (which drops
 * it) as soon as it dies. Prisma 6.19 sends ROLLBACK before it releases the connection, and
 * skips the release when that ROLLBACK fails on a dead socket: after a database outage every
 * connection of the pool stayed checked out and each later query waited forever.
 */
function releaseDeadConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown
  const connectReleasingDead = async (): Promise<pg.PoolClient> => {
    const client = (await connect()) as pg.PoolClient
    const release = client.release
    let released = false
    const releaseOnce = (err?: Error | boolean) => {
      client.removeListener('error', onDead)
      client.removeListener('end', onDead)
      if (released) return
      released = true
      release(err)
    }
    const onDead = (err?: Error) => releaseOnce(err ?? new Error('connection ended'))
    client.once('error', onDead)
    client.once('end', onDead)
    client.release = releaseOnce
    return client
  }
  // pg-pool's own query() checks out with a callback and releases by itself: left as it is
  pool.connect = ((...args: unknown[]) =>
    args.length > 0 ? connect(...args) : connectReleasingDead()) as typeof pool.connect
}

/** The driver adapter Prisma uses for a database, for the client and for the CLI alike. */
export function openAdapter(target: DatabaseTarget, poolSize = 10) {
  if (target.provider === 'sqlite') {
    return new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 })
  }
  const pool = new pg.Pool(pgPoolConfig(target.url, poolSize))
  pool.on('connect', readCatalogTypesAsText)
  releaseDeadConnections(pool)
  return new PrismaPg(pool, { disposeExternalPool: true })
}
