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

/** The driver adapter Prisma uses for a database, for the client and for the CLI alike. */
export function openAdapter(target: DatabaseTarget, poolSize = 10) {
  if (target.provider === 'sqlite') {
    return new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 })
  }
  const pool = new pg.Pool(pgPoolConfig(target.url, poolSize))
  pool.on('connect', readCatalogTypesAsText)
  return new PrismaPg(pool, { disposeExternalPool: true })
}
