import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { openDatabase, tuneDatabase, type OpenDatabase } from '../../app/db/open.ts'
import { dropDatabase, pgUrl, withAdminClient } from './postgres.ts'

export type TestDatabase = OpenDatabase & { url: string; cleanup: () => Promise<void> }

/** A fresh, migrated SQLite file of its own (a copy of the run's template). */
export async function freshSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-db-'))
  const file = path.join(dir, 'minka.db')
  copyFileSync(inject('sqliteTemplate'), file)
  const url = `file:${file}`
  const opened = openDatabase(url)
  await tuneDatabase(opened)
  return {
    ...opened,
    url,
    cleanup: async () => {
      await opened.db.$disconnect()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh, migrated PostgreSQL database of its own, dropped by `cleanup`. */
export async function freshPostgres(poolSize = 10): Promise<TestDatabase> {
  const template = inject('postgresTemplate')
  if (template.startsWith('unavailable')) throw new Error(`PostgreSQL ${template}`)
  const name = `minka_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  await withAdminClient((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`))
  const url = pgUrl(name)
  const opened = openDatabase(url, { poolSize })
  return {
    ...opened,
    url,
    cleanup: async () => {
      await opened.db.$disconnect()
      await dropDatabase(name)
    },
  }
}
