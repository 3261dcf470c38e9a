import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { PrismaClient as SqliteClient } from '../../generated/sqlite/index.js'
import type { PrismaClient as PostgresClient } from '../../generated/postgresql/index.js'
import { openAdapter } from './adapters.ts'
import { DirectSqlite, type HotPath, type SqliteConnection } from './direct-sqlite.ts'
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts'

/**
 * The one database type the code uses. The two generated clients have the same model API;
 * TypeScript only disagrees on `$transaction`'s isolation-level option, so the PostgreSQL
 * client is cast to this type once, here (docs/architecture.md, "One model, two providers").
 */
export type Db = SqliteClient

export type OpenDatabase = { db: Db; target: DatabaseTarget }

/** Each SQLite client's direct hot path; a client not in here is its own (PostgreSQL). */
const hotPaths = new WeakMap<Db, HotPath>()

/**
 * Where the pipeline's and the dispatcher's raw SQL runs: direct-sqlite.ts on SQLite, Prisma
 * itself on PostgreSQL (there its cost is small beside the network round trip).
 */
export function hotPathOf(db: Db): HotPath {
  return hotPaths.get(db) ?? db
}

/** Opens the Prisma client that matches DATABASE_URL (SQLite file or PostgreSQL server). */
export function openDatabase(url: string, options: { poolSize?: number } = {}): OpenDatabase {
  const target = parseDatabaseUrl(url)
  if (!target) throw new Error(`DATABASE_URL: expected file:<path> or postgresql://…`)
  if (target.provider === 'sqlite' && target.file !== ':memory:') {
    mkdirSync(path.dirname(target.file), { recursive: true })
  }
  const adapter = openAdapter(target, options.poolSize)
  if (target.provider === 'postgresql') {
    // Only the client in use is loaded: each carries its own query compiler (~10 MB of memory).
    const db = new (load('postgresql') as typeof PostgresClient)({ adapter }) as unknown as Db
    return { db, target }
  }
  // The connection Prisma opens is the one the hot path uses too (see direct-sqlite.ts).
  let connection: SqliteConnection | undefined
  const connect = adapter.connect.bind(adapter)
  adapter.connect = async () => {
    const opened = await connect()
    connection = opened as unknown as SqliteConnection
    return opened
  }
  const db = new (load('sqlite') as typeof SqliteClient)({ adapter })
  hotPaths.set(
    db,
    new DirectSqlite(
      () => connection,
      () => db.$connect(),
    ),
  )
  return { db, target }
}

const require = createRequire(import.meta.url)

function load(provider: 'sqlite' | 'postgresql'): unknown {
  return (require(`../../generated/${provider}/index.js`) as { PrismaClient: unknown }).PrismaClient
}

/**
 * Per-connection settings. SQLite: WAL lets the admin panel read while the pipeline writes;
 * synchronous=NORMAL is durable in WAL mode except for the last transactions on power loss.
 */
export async function tuneDatabase({ db, target }: OpenDatabase): Promise<void> {
  if (target.provider !== 'sqlite') return
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL')
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON')
}

/** Whether the database answers a trivial query within `timeoutMs`. */
export async function pingDatabase(
  db: Db,
  timeoutMs = 2000,
): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      db.$queryRawUnsafe('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
    return { ok: true, ms: Math.round(performance.now() - started) }
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: firstLine(error) }
  } finally {
    clearTimeout(timer)
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (
    text
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? 'database error'
  )
}
