// The Prisma CLI's configuration. Prisma 6.19 with `engine: "js"` runs migrations through the
// driver adapter and its bundled WebAssembly schema engine; the two variables below only stop
// the CLI from trying to download native engines, which cannot work offline. They point at an
// existing file and are never executed (see docs/architecture.md, "Prisma offline").
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= process.execPath

import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { defineConfig } from 'prisma/config'
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './app/db/database-url.ts'
import { openAdapter } from './app/db/adapters.ts'

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
process.env.DATABASE_URL = url
const target = parseDatabaseUrl(url)
if (!target) throw new Error(`DATABASE_URL: expected file:<path> or postgresql://…, got "${url}"`)

if (target.provider === 'sqlite' && target.file !== ':memory:') {
  mkdirSync(path.dirname(target.file), { recursive: true })
}
const folder = target.provider === 'postgresql' ? 'prisma/postgresql' : 'prisma'

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  adapter: async () => openAdapter(target),
})
