import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Db } from './open.ts'
import type { DatabaseTarget } from './database-url.ts'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

function migrationNames(target: DatabaseTarget): string[] {
  const dir = path.join(
    root,
    target.provider === 'postgresql' ? 'prisma/postgresql' : 'prisma',
    'migrations',
  )
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
}

async function appliedMigrations(db: Db): Promise<Set<string> | undefined> {
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    return new Set(rows.map((r) => r.migration_name))
  } catch {
    return undefined // no migrations table yet: a fresh database
  }
}

/**
 * Brings the database to the latest schema with `prisma migrate deploy`. The CLI costs about
 * three seconds, so it only runs when a migration folder is not yet recorded as applied.
 */
export async function migrateDatabase(
  db: Db,
  target: DatabaseTarget,
): Promise<'up-to-date' | 'migrated'> {
  const applied = await appliedMigrations(db)
  if (applied && migrationNames(target).every((m) => applied.has(m))) return 'up-to-date'
  await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'deploy'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: target.url,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    },
  )
  return 'migrated'
}
