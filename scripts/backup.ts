import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { parseConfig } from '../app/config.ts'
import { pgPoolConfig } from '../app/db/adapters.ts'
import { parseDatabaseUrl } from '../app/db/database-url.ts'

/** `minka-20261125-130501` for a backup taken at that UTC time. */
export function backupName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d+Z$/, '')
  return `minka-${stamp}`
}

/**
 * Copies a live SQLite database with SQLite's online backup API: a consistent snapshot while
 * Minka keeps reading and writing (WAL: the copy's read transaction does not block writers).
 * The copy is checked before its name is returned.
 */
export async function backupSqlite(file: string, dir: string, now = new Date()): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const target = path.join(dir, `${backupName(now)}.db`)
  const source = new Database(file, { fileMustExist: true, timeout: 10_000 })
  try {
    // All pages in one step, as one read transaction: copied a few pages at a time, a backup
    // restarts whenever Minka writes in between, and under steady traffic never finishes.
    await source.backup(target, { progress: () => 0x7fffffff })
  } finally {
    source.close()
  }
  const copy = new Database(target, { readonly: true })
  try {
    const check = copy.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`the backup failed its check: ${String(check)}`)
  } finally {
    copy.close()
  }
  return target
}

/** The pg_dump command for a PostgreSQL database (custom format, for pg_restore). */
export function pgDumpCommand(url: string, dir: string, now = new Date()) {
  const c = pgPoolConfig(url)
  const file = path.join(dir, `${backupName(now)}.dump`)
  const args = [
    '--format=custom',
    `--file=${file}`,
    `--host=${c.host}`,
    `--port=${c.port}`,
    `--username=${c.user}`,
    String(c.database),
  ]
  // the password goes through the environment, never on a command line others can read
  return { file, args, env: c.password ? { PGPASSWORD: String(c.password) } : {} }
}

async function main(): Promise<void> {
  const parsed = parseConfig(process.env)
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`)
    process.exit(2)
  }
  const { DATABASE_URL, BACKUP_DIR } = parsed.config
  const target = parseDatabaseUrl(DATABASE_URL)!
  if (target.provider === 'sqlite') {
    const file = await backupSqlite(target.file, BACKUP_DIR)
    process.stdout.write(`Backup written: ${file}\n`)
    return
  }
  mkdirSync(BACKUP_DIR, { recursive: true })
  const dump = pgDumpCommand(target.url, BACKUP_DIR)
  const run = spawnSync('pg_dump', dump.args, {
    env: { ...process.env, ...dump.env },
    stdio: 'inherit',
  })
  if (run.error) {
    process.stderr.write(
      `pg_dump is not installed here. Run it where it is (same version as the server or newer):\n  pg_dump ${dump.args.join(' ')}\n`,
    )
    process.exit(1)
  }
  if (run.status !== 0) process.exit(run.status ?? 1)
  process.stdout.write(`Backup written: ${dump.file} (restore with pg_restore --clean)\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  await main()
