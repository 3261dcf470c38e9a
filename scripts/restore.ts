import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { parseConfig } from '../app/config.ts'
import { parseDatabaseUrl } from '../app/db/database-url.ts'
import { backupName } from './backup.ts'

export type RestoreOptions = {
  /** The backup to restore (a file `npm run backup` wrote). */
  from: string
  /** The database file Minka uses (DATABASE_URL). */
  to: string
  /** Minka's /healthz; when it answers, Minka is running and the restore is refused. */
  healthUrl?: string
  force?: boolean
  now?: Date
}

export type RestoreResult = { restored: string; previous?: string }

/**
 * Puts a SQLite backup in place of the database file. Refuses while Minka answers on its
 * port (unless forced): a running process would keep writing to the file it has open. The
 * current file is kept beside it (`<file>.before-<stamp>`), and its WAL and shared-memory files
 * are removed, since SQLite would otherwise replay the old WAL into the restored database.
 */
export async function restoreSqlite(opts: RestoreOptions): Promise<RestoreResult> {
  if (!existsSync(opts.from)) throw new Error(`no such backup: ${opts.from}`)
  if (!opts.force && opts.healthUrl && (await answers(opts.healthUrl)))
    throw new Error(
      `Minka is running (${opts.healthUrl} answers): stop it first, or pass --force if that is another program`,
    )
  const check = new Database(opts.from, { readonly: true, fileMustExist: true })
  try {
    if (check.pragma('quick_check', { simple: true }) !== 'ok')
      throw new Error(`${opts.from} is damaged (quick_check failed)`)
    const migrations = check
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = '_prisma_migrations'")
      .get() as { n: number }
    if (migrations.n === 0) throw new Error(`${opts.from} is not a Minka database`)
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB')
      throw new Error(`${opts.from} is not a SQLite database`)
    throw error
  } finally {
    check.close()
  }
  const staging = `${opts.to}.restoring`
  copyFileSync(opts.from, staging)
  let previous: string | undefined
  if (existsSync(opts.to)) {
    previous = `${opts.to}.before-${backupName(opts.now ?? new Date())}`
    // a clean copy of the current database, with whatever its WAL still holds
    const current = new Database(opts.to, { fileMustExist: true })
    try {
      await current.backup(previous, { progress: () => 0x7fffffff })
    } finally {
      current.close()
    }
  }
  rmSync(`${opts.to}-wal`, { force: true })
  rmSync(`${opts.to}-shm`, { force: true })
  renameSync(staging, opts.to)
  return { restored: opts.to, previous }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await res.arrayBuffer()
    return true
  } catch {
    return false
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const force = args.includes('--force')
  const from = args.find((a) => !a.startsWith('--'))
  if (!from) {
    process.stderr.write('usage: npm run restore -- <backup file> [--force]\n')
    process.exit(2)
  }
  const parsed = parseConfig(process.env)
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`)
    process.exit(2)
  }
  const { DATABASE_URL, HOST, PORT } = parsed.config
  const target = parseDatabaseUrl(DATABASE_URL)!
  if (target.provider !== 'sqlite') {
    process.stderr.write(
      `DATABASE_URL is PostgreSQL: restore a pg_dump file with pg_restore, Minka stopped:\n  pg_restore --clean --if-exists --no-owner --dbname=<DATABASE_URL> ${from}\n`,
    )
    process.exit(2)
  }
  const host = HOST === '0.0.0.0' || HOST === '::' ? '127.0.0.1' : HOST
  try {
    const result = await restoreSqlite({
      from: path.resolve(from),
      to: target.file,
      healthUrl: `http://${host}:${PORT}/healthz`,
      force,
    })
    process.stdout.write(
      `Restored ${from} into ${result.restored}${result.previous ? `; the previous database is kept as ${result.previous}` : ''}\n`,
    )
  } catch (error) {
    process.stderr.write(`Restore refused: ${(error as Error).message}\n`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  await main()
