import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { parseConfig } from '../../app/config.ts'
import { createLogger } from '../../app/logger.ts'
import { startMinka } from '../../app/start-minka.ts'

// The monitoring dashboard and the inbox pages at the size issue 9 and 11 name (10,000 groups,
// 100,000 cases, plus 20,000 contacts and 500 trainings with 10,000 registrations), served by
// a whole Minka process on SQLite and timed over HTTP as a signed-in admin, render included.
//   npx tsx scripts/bench/dashboard.ts            (alone; `npm run bench` runs it too)

const PASSWORD = 'bench-password-123'
const HOUR = 3_600_000
const DAY = 24 * HOUR

export type DashboardBench = {
  seedMs: number
  groups: number
  cases: number
  pages: { key: string; path: string; p50: number; p95: number; cpuMs: number }[]
}

/** The timestamp text Prisma writes to SQLite, so raw rows compare like Prisma's own. */
const sqliteTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00')

/** A tiny PRNG (mulberry32): the same data set every run. */
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Fills a migrated, seeded SQLite file with batched multi-row INSERTs in one transaction
 * (seconds, where Prisma's createMany takes minutes at this size).
 */
export function seedMonitoringLoad(file: string, groups: number, cases: number, now: number) {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  const rnd = random(42)
  const regions = db.prepare('SELECT "id", "country" FROM "Region"').all() as {
    id: string
    country: string
  }[]
  const rubros = (db.prepare('SELECT "id" FROM "Rubro"').all() as { id: string }[]).map((r) => r.id)
  const phases = db.prepare('SELECT "id", "programmeId" FROM "Phase"').all() as {
    id: string
    programmeId: string
  }[]
  const programmeOf = (country: string) => (country === 'BO' ? 'BO-ATC' : 'PA-ECV')
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const insert = (table: string, columns: string[], rows: unknown[][]) => {
    const width = columns.length
    const per = Math.floor(30_000 / width) // stay under SQLite's bound-parameter limit
    const cols = columns.map((c) => `"${c}"`).join(', ')
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per)
      const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')
      db.prepare(`INSERT INTO "${table}" (${cols}) VALUES ${values}`).run(...chunk.flat())
    }
  }
  const t0 = performance.now()
  db.transaction(() => {
    const contactCount = 20_000
    const contactRegion: { id: string; country: string }[] = []
    insert(
      'Contact',
      [
        'id',
        'channel',
        'channelUserId',
        'displayName',
        'country',
        'regionId',
        'consentAt',
        'optedOutAt',
        'lastInboundAt',
        'createdAt',
        'updatedAt',
      ],
      Array.from({ length: contactCount }, (_, i) => {
        const region = pick(regions)
        contactRegion.push(region)
        const created = now - Math.floor(rnd() * 400 * DAY)
        return [
          `bench-c-${i}`,
          pick(['whatsapp', 'whatsapp', 'telegram', 'web']),
          `bench-u-${i}`,
          `Mujer ${i}`,
          region.country,
          region.id,
          sqliteTime(created),
          rnd() < 0.05 ? sqliteTime(created + Math.floor(rnd() * 30 * DAY)) : null,
          sqliteTime(now - Math.floor(rnd() * 365 * DAY)),
          sqliteTime(created),
          sqliteTime(created),
        ]
      }),
    )
    insert(
      'Group',
      [
        'id',
        'name',
        'country',
        'regionId',
        'municipality',
        'rubroId',
        'programmeId',
        'currentPhaseId',
        'status',
        'inviteCode',
        'createdAt',
        'updatedAt',
      ],
      Array.from({ length: groups }, (_, i) => {
        const region = pick(regions)
        const programmeId = programmeOf(region.country)
        const phase = rnd() < 0.1 ? null : pick(phases.filter((p) => p.programmeId === programmeId))
        const created = sqliteTime(now - Math.floor(rnd() * 730 * DAY))
        return [
          `bench-g-${i}`,
          `Grupo ${i}`,
          region.country,
          region.id,
          `Municipio ${i % 300}`,
          rnd() < 0.05 ? null : pick(rubros),
          programmeId,
          phase?.id ?? null,
          pick(['active', 'active', 'constituted', 'inactive']),
          `BENCH${i}`,
          created,
          created,
        ]
      }),
    )
    insert(
      'Case',
      [
        'contactId',
        'groupId',
        'topic',
        'status',
        'regionId',
        'country',
        'channel',
        'firstResponseDueAt',
        'firstResponseAt',
        'lastInboundAt',
        'lastActivityAt',
        'createdAt',
        'updatedAt',
      ],
      Array.from({ length: cases }, (_, i) => {
        const c = i % contactCount
        const region = contactRegion[c]!
        const created = now - Math.floor(rnd() * 365 * DAY)
        const roll = rnd()
        const answered =
          roll < 0.6
            ? created + Math.floor(rnd() * 8 * HOUR)
            : roll < 0.8
              ? created + 8 * HOUR + Math.floor(rnd() * 72 * HOUR)
              : null
        const answeredAt = answered !== null && answered < now ? answered : null
        const last = answeredAt ?? created
        return [
          `bench-c-${c}`,
          rnd() < 0.5 ? `bench-g-${Math.floor(rnd() * groups)}` : null,
          pick(['legal', 'technical', 'training', 'human', 'other']),
          pick(['open', 'pending', 'resolved', 'closed']),
          region.id,
          region.country,
          'whatsapp',
          sqliteTime(created + 8 * HOUR),
          answeredAt === null ? null : sqliteTime(answeredAt),
          sqliteTime(created),
          sqliteTime(last),
          sqliteTime(created),
          sqliteTime(last),
        ]
      }),
    )
    const trainings = Array.from({ length: 500 }, (_, i) => {
      const region = pick(regions)
      const starts = now - Math.floor(rnd() * 365 * DAY) + 30 * DAY
      return [
        `bench-t-${i}`,
        `Taller ${i}`,
        'presencial',
        sqliteTime(starts),
        sqliteTime(starts + 3 * HOUR),
        40,
        region.country,
        region.id,
        rnd() < 0.05 ? 'cancelled' : 'scheduled',
        sqliteTime(starts - 30 * DAY),
        sqliteTime(starts - 30 * DAY),
      ]
    })
    insert(
      'Training',
      [
        'id',
        'title',
        'modality',
        'startsAt',
        'endsAt',
        'capacity',
        'country',
        'regionId',
        'status',
        'createdAt',
        'updatedAt',
      ],
      trainings,
    )
    insert(
      'TrainingRegistration',
      ['id', 'trainingId', 'contactId', 'status', 'attended', 'createdAt'],
      Array.from({ length: 10_000 }, (_, i) => [
        `bench-r-${i}`,
        `bench-t-${i % 500}`,
        `bench-c-${Math.floor(i / 500) * 997 + (i % 500)}`,
        rnd() < 0.1 ? 'cancelled' : 'registered',
        rnd() < 0.6 ? 1 : 0,
        sqliteTime(now - 60 * DAY),
      ]),
    )
  })()
  db.exec('ANALYZE')
  db.close()
  return Math.round(performance.now() - t0)
}

/** Signs in as the seeded admin and returns the session cookie. */
async function signIn(base: string, email: string): Promise<string> {
  const login = await fetch(`${base}/admin/login`)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? ''
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
  })
  if (res.status !== 303) throw new Error(`bench sign-in failed: ${res.status}`)
  const renewed = res.headers.getSetCookie().map((c) => c.split(';')[0])
  return renewed.length > 0 ? renewed.join('; ') : cookie
}

async function timePage(base: string, cookie: string, pagePath: string, runs: number) {
  const once = async () => {
    const t = performance.now()
    const res = await fetch(`${base}${pagePath}`, { headers: { cookie } })
    await res.text()
    if (res.status !== 200) throw new Error(`${pagePath}: ${res.status}`)
    return performance.now() - t
  }
  await once() // warm: templates compiled, statements prepared
  await once()
  const samples: number[] = []
  // the server runs in this process: its CPU per request holds on a busy machine, where
  // wall-clock times stretch with the other processes' load
  const cpu = process.cpuUsage()
  for (let i = 0; i < runs; i++) samples.push(await once())
  const used = process.cpuUsage(cpu)
  samples.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.floor(samples.length * q))]! * 10) / 10
  return {
    p50: at(0.5),
    p95: at(0.95),
    cpuMs: Math.round((used.user + used.system) / 1000 / runs),
  }
}

export async function benchDashboard(
  file: string,
  opts: { groups?: number; cases?: number; runs?: number } = {},
): Promise<DashboardBench> {
  const groups = opts.groups ?? 10_000
  const cases = opts.cases ?? 100_000
  const runs = opts.runs ?? 20
  const parsed = parseConfig({
    DATABASE_URL: `file:${file}`,
    PORT: '0',
    ADMIN_EMAIL: 'bench@minka.local',
    ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'silent',
    WEB_CHANNEL: 'false',
  })
  if (!parsed.ok) throw new Error(parsed.message)
  // first start: migrate and seed the programme; then the bulk rows; then serve them
  const first = await startMinka(parsed.config, createLogger('silent'))
  await first.stop()
  const seedMs = seedMonitoringLoad(file, groups, cases, Date.now())
  const minka = await startMinka(parsed.config, createLogger('silent'))
  try {
    const cookie = await signIn(minka.url, 'bench@minka.local')
    const region = 'BO-LP'
    const list: [string, string][] = [
      ['dashboard', '/admin/monitoring'],
      ['dashboard.region', `/admin/monitoring?region=${region}`],
      ['inbox_page', '/admin/cases'],
      ['inbox_page.region', `/admin/cases?status=open&region=${region}`],
    ]
    const pages: DashboardBench['pages'] = []
    for (const [key, pagePath] of list) {
      pages.push({ key, path: pagePath, ...(await timePage(minka.url, cookie, pagePath, runs)) })
    }
    return { seedMs, groups, cases, pages }
  } finally {
    await minka.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-bench-dashboard-'))
  try {
    const r = await benchDashboard(path.join(dir, 'dashboard.db'))
    console.log(`seeded ${r.groups} groups and ${r.cases} cases in ${r.seedMs} ms (SQLite)`)
    for (const p of r.pages)
      console.log(
        `${p.key.padEnd(18)} p50 ${p.p50} ms  p95 ${p.p95} ms  cpu ${p.cpuMs} ms  ${p.path}`,
      )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  process.exit(0)
}
