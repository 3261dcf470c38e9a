import { mkdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { migrateDeploy } from './support/prisma-cli.ts'
import { dropDatabase, pgUrl, withAdminClient } from './support/postgres.ts'

/**
 * Migrates one template database per provider, once per test run: a SQLite file that tests
 * copy, and a PostgreSQL database that tests clone with CREATE DATABASE … TEMPLATE. Running
 * `prisma migrate deploy` per test would cost three seconds each.
 */
export default async function setup(project: TestProject) {
  const dir = path.join(os.tmpdir(), `minka-test-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const sqliteTemplate = path.join(dir, 'template.db')
  migrateDeploy(`file:${sqliteTemplate}`)
  project.provide('sqliteTemplate', sqliteTemplate)

  const pgTemplate = `minka_template_${process.pid}`
  let postgres = ''
  try {
    await dropDatabase(pgTemplate)
    await withAdminClient((c) => c.query(`CREATE DATABASE "${pgTemplate}"`))
    migrateDeploy(pgUrl(pgTemplate))
    postgres = pgTemplate
  } catch (error) {
    // Tests that need PostgreSQL fail with this reason; .ci/run starts the server.
    postgres = `unavailable: ${(error as Error).message.split('\n')[0]}`
  }
  project.provide('postgresTemplate', postgres)

  return async () => {
    rmSync(dir, { recursive: true, force: true })
    if (!postgres.startsWith('unavailable')) await dropDatabase(pgTemplate).catch(() => undefined)
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string
    postgresTemplate: string
  }
}
