// A fresh, migrated SQLite database for tests. Temporary: the lead will swap this for the
// template database that test/global-setup.ts creates once per run (copying it is faster than
// migrating, ~3 s, in every test file).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../app/db/open.ts'
import type { Db } from '../../app/db/open.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export type TestDb = { db: Db; url: string; file: string; close(): Promise<void> }

/** Creates a migrated SQLite file in a temporary folder and opens it. */
export async function createTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'minka-seed-'))
  const file = join(dir, 'test.db')
  const url = `file:${file}`
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'deploy'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
    cwd: root,
    stdio: 'ignore',
  })
  const { db } = openDatabase(url)
  return {
    db,
    url,
    file,
    async close() {
      await db.$disconnect()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
