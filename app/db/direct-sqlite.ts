import type BetterSqlite3 from 'better-sqlite3'
import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from './open.ts'

/**
 * The hot path's raw SQL without Prisma's per-query cost, on SQLite.
 *
 * Profiling the pipeline (issue 11) put ~70 % of its CPU in Prisma's raw-query path: the query
 * compiler, the interpreter, and a fresh `prepare` of every statement (the adapter keeps no
 * statement cache). This runs the same `Prisma.sql` statements straight on the better-sqlite3
 * connection Prisma itself opened, with prepared statements kept, and converts values the way
 * the adapter does (dates as ISO text with "+00:00", booleans as 0/1), so rows written here and
 * by Prisma are the same. One connection, so no second writer waits on SQLite's lock; batch
 * transactions take the adapter's own transaction lock, so they never interleave with a Prisma
 * transaction. Everything else (`db.contact.findMany`…) still goes to Prisma.
 */
export type HotPath = Pick<Db, '$queryRaw' | '$executeRaw'> & {
  $transaction(statements: Prisma.PrismaPromise<unknown>[]): Promise<unknown[]>
}

/** What the adapter exposes at run time: its connection, and the transaction lock around it. */
export type SqliteConnection = {
  client: BetterSqlite3.Database
  startTransaction(): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>
}

type Value = string | number | bigint | Buffer | null
type Convert = (value: unknown) => unknown
type Prepared = { statement: BetterSqlite3.Statement; columns: [string, Convert][] | null }

/** Statements kept prepared: the hot path has a few dozen shapes (merged writes vary by size). */
const CACHE_SIZE = 2_000

/** A statement that runs when awaited, or inside `$transaction([...])`, like a PrismaPromise. */
class DirectStatement<T> implements PromiseLike<T> {
  readonly [Symbol.toStringTag] = 'PrismaPromise'
  private result: Promise<T> | undefined

  constructor(
    readonly owner: DirectSqlite,
    readonly query: Prisma.Sql,
    readonly returnsRows: boolean,
  ) {}

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.result ??= this.owner.open().then(() => this.owner.runNow(this) as T)
    return this.result.then(onFulfilled, onRejected)
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null) {
    return this.then(undefined, onRejected)
  }

  finally(onFinally?: (() => void) | null) {
    return this.then().finally(onFinally)
  }
}

export class DirectSqlite {
  private readonly cache = new Map<string, Prepared>()
  /** The connection the cached statements belong to (Prisma may reconnect). */
  private client: BetterSqlite3.Database | undefined

  /**
   * @param current Prisma's open connection, if any
   * @param connect makes Prisma open it (when the hot path runs before any Prisma query)
   */
  constructor(
    private readonly current: () => SqliteConnection | undefined,
    private readonly connect: () => Promise<void>,
  ) {}

  /** @internal Resolves once Prisma's connection is open. */
  async open(): Promise<SqliteConnection> {
    const now = this.current()
    if (now?.client.open) return now
    await this.connect()
    const opened = this.current()
    if (!opened?.client.open) throw new Error('Prisma opened no SQLite connection')
    return opened
  }

  private connection(): SqliteConnection {
    const now = this.current()
    if (!now?.client.open) throw new Error('the SQLite connection is not open')
    return now
  }

  $queryRaw = <T = unknown>(
    query: TemplateStringsArray | Prisma.Sql,
    ...values: unknown[]
  ): Prisma.PrismaPromise<T> =>
    new DirectStatement<T>(this, toSql(query, values), true) as unknown as Prisma.PrismaPromise<T>

  $executeRaw = (
    query: TemplateStringsArray | Prisma.Sql,
    ...values: unknown[]
  ): Prisma.PrismaPromise<number> =>
    new DirectStatement<number>(
      this,
      toSql(query, values),
      false,
    ) as unknown as Prisma.PrismaPromise<number>

  /** Runs the statements in one transaction, in order; resolves with each one's result. */
  async $transaction(statements: readonly unknown[]): Promise<unknown[]> {
    const own = statements.map((s) => {
      if (s instanceof DirectStatement && s.owner === this) return s
      throw new TypeError('DirectSqlite.$transaction takes only its own statements')
    })
    const connection = await this.open()
    const { client } = connection
    const lock = await connection.startTransaction() // BEGIN, holding the adapter's transaction lock
    try {
      const results = own.map((s) => this.runNow(s))
      this.prepared('COMMIT').statement.run()
      await lock.commit()
      return results
    } catch (error) {
      if (client.inTransaction) this.prepared('ROLLBACK').statement.run()
      await lock.rollback()
      throw error
    }
  }

  /** @internal Runs one statement at once (autocommit, or inside the open transaction). */
  runNow(s: DirectStatement<unknown>): unknown {
    const { statement, columns } = this.prepared(s.query.sql)
    const args = s.query.values.map(toSqliteValue)
    if (!s.returnsRows || !columns) return statement.run(args).changes
    const rows = statement.raw(true).all(args) as unknown[][]
    return rows.map((row) => {
      const out: Record<string, unknown> = {}
      for (let i = 0; i < columns.length; i++) out[columns[i]![0]] = columns[i]![1](row[i])
      return out
    })
  }

  private prepared(sql: string): Prepared {
    const { client } = this.connection()
    if (client !== this.client) {
      this.cache.clear()
      this.client = client
    }
    const hit = this.cache.get(sql)
    if (hit) {
      // refresh its place: the Map's order is the eviction order
      this.cache.delete(sql)
      this.cache.set(sql, hit)
      return hit
    }
    const statement = client.prepare(sql)
    statement.safeIntegers(false)
    const columns = statement.reader
      ? statement.columns().map((c): [string, Convert] => [c.name, converterFor(c.type)])
      : null
    const prepared = { statement, columns }
    this.cache.set(sql, prepared)
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!)
    return prepared
  }
}

function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  // a tagged template's strings are an array; Prisma.Sql is not (and is no exported class)
  if (!Array.isArray(query)) return query as Prisma.Sql
  return Prisma.sql(query as TemplateStringsArray, ...values)
}

/** As @prisma/adapter-better-sqlite3 writes arguments (its `mapArg`, iso8601 dates). */
function toSqliteValue(value: unknown): Value {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00')
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return value
  if (Buffer.isBuffer(value)) return value
  throw new TypeError(`cannot bind a ${typeof value} to SQLite`)
}

const asIs: Convert = (v) => v

/** As Prisma reads a column of this declared type from SQLite (dates, booleans, big ints). */
function converterFor(declared: string | null): Convert {
  switch (declared?.toUpperCase()) {
    case 'DATETIME':
    case 'TIMESTAMP':
      return (v) => (v === null ? null : new Date(v as string | number))
    case 'BOOLEAN':
      return (v) => (v === null ? null : Boolean(v))
    case 'BIGINT':
    case 'INT8':
      return (v) => (v === null ? null : BigInt(v as number))
    default:
      return asIs
  }
}
