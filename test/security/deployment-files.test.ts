import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { configSchema } from '../../app/config.ts'

// Docker is not installed on the development machine, so the image is never built here.
// What can be checked without it is: the files parse, name only settings Minka knows, point
// at paths that exist, and keep the promises (non-root, health check, PostgreSQL healthy first).
const ROOT = path.join(import.meta.dirname, '..', '..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const known = new Set(Object.keys(configSchema.shape))
// js-yaml comes with ESLint's dependencies; it has no types of its own.
const yaml = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown }

type Service = {
  image?: string
  build?: string
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  volumes?: string[]
  ports?: string[]
}

describe('compose.yaml', () => {
  const compose = yaml.load(read('compose.yaml')) as {
    services: Record<string, Service>
    volumes: Record<string, unknown>
  }
  const minka = compose.services.minka!
  const postgres = compose.services.postgres!

  it('runs Minka from this Dockerfile once PostgreSQL is healthy', () => {
    expect(minka.build).toBe('.')
    expect(minka.depends_on?.postgres?.condition).toBe('service_healthy')
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready')
    expect(minka.environment?.DATABASE_URL).toMatch(
      /^postgresql:\/\/minka:.*@postgres:5432\/minka$/,
    )
  })

  it('sets only variables Minka reads, and requires the secrets', () => {
    const names = Object.keys(minka.environment ?? {})
    expect(names.filter((n) => !known.has(n))).toEqual([])
    expect(minka.environment?.SESSION_SECRET).toMatch(/\$\{SESSION_SECRET:\?/)
    expect(postgres.environment?.POSTGRES_PASSWORD).toMatch(/\$\{POSTGRES_PASSWORD:\?/)
  })

  it('keeps data in named volumes and publishes the port on loopback only', () => {
    for (const service of [minka, postgres])
      for (const v of service.volumes ?? [])
        expect(compose.volumes).toHaveProperty(v.split(':')[0]!)
    expect(minka.volumes).toContain('minka-data:/app/data')
    expect(minka.ports?.every((p) => p.startsWith('127.0.0.1:'))).toBe(true)
  })
})

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
  const stages = instructions.filter((l) => l.startsWith('FROM '))
  const lastStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!))

  it('builds in two stages on node:20-bookworm-slim and runs as a non-root user', () => {
    expect(stages).toHaveLength(2)
    for (const s of stages) expect(s).toMatch(/^FROM node:20-bookworm-slim AS \w+/)
    const user = lastStage.find((l) => l.startsWith('USER '))
    expect(user).toBe('USER node')
  })

  it('installs production dependencies only: what `npm start` needs is among them', () => {
    expect(dockerfile).toContain('npm ci --omit=dev')
    const pkg = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>
      scripts: Record<string, string>
    }
    for (const runtime of ['tsx', 'prisma', '@prisma/client'])
      expect(pkg.dependencies).toHaveProperty(runtime)
    expect(pkg.scripts.postinstall).toContain('scripts/prisma-generate.mjs')
  })

  it('copies paths that exist and starts the file `npm start` starts', () => {
    for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
      const sources = line
        .split(/\s+/)
        .slice(1, -1)
        .filter((s) => !s.startsWith('--'))
      for (const source of sources) expect(existsSync(path.join(ROOT, source)), source).toBe(true)
    }
    const cmd = JSON.parse(lastStage.find((l) => l.startsWith('CMD '))!.slice(4)) as string[]
    expect(cmd).toEqual(['node', '--import', 'tsx', 'app/main.ts'])
    expect(existsSync(path.join(ROOT, cmd.at(-1)!))).toBe(true)
    expect(JSON.parse(read('package.json')).scripts.start).toBe('tsx app/main.ts')
  })

  it('checks /healthz, and its ENV names only settings Minka reads', () => {
    expect(lastStage.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/healthz')
    const env = lastStage.find((l) => l.startsWith('ENV '))!
    const names = [...env.matchAll(/(\w+)=/g)].map((m) => m[1]!)
    expect(names.length).toBeGreaterThan(3)
    expect(names.filter((n) => !known.has(n))).toEqual([])
  })

  it('never sends local data or secrets to the build', () => {
    const ignored = read('.dockerignore').split('\n')
    for (const entry of ['data', '.env', 'node_modules', 'generated', '.git', '*.db'])
      expect(ignored).toContain(entry)
  })
})
