import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { openDatabase } from '../../app/db/open.ts'
import { FakeBotApi } from '../../bot/channels/telegram/fake-bot-api.ts'
import { freePort, spawnMinka, waitHealthy } from '../../test/support/minka-process.ts'

/**
 * `npm run load [-- --duration 60 --connections 200 --timeout 30 --only web,telegram,admin --json --debug]`:
 * autocannon against a Minka process of its own on a fresh SQLite file — the web chat API, the
 * Telegram webhook (with its secret; replies go to a fake Bot API on 127.0.0.1), and the admin
 * inbox signed in. Prints requests/s, p50/p99 latency and the error rate (non-2xx + socket
 * errors + requests over 30 s) of each, with the errors' reasons, and exits 1 unless every
 * error rate is 0.
 */

const SECRET = 'load-test-webhook-secret-0123456789'
const PASSWORD = 'load-test-admin-password'
const USERS = 5_000
const CASES = 2_000

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

export type LoadFigure = {
  scenario: string
  connections: number
  seconds: number
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  non2xx: number
  errors: number
  errorRate: number
}

export function figureOf(scenario: string, r: autocannon.Result): LoadFigure {
  const requests = r['2xx'] + r.non2xx + r.errors
  return {
    scenario,
    connections: r.connections,
    seconds: r.duration,
    requests,
    perSecond: Math.round(requests / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    errorRate: requests === 0 ? 1 : (r.non2xx + r.errors) / requests,
  }
}

export function printFigures(figures: LoadFigure[]): void {
  const rows = figures.map((f) => [
    f.scenario,
    String(f.connections),
    String(f.seconds),
    String(f.requests),
    String(f.perSecond),
    String(f.p50Ms),
    String(f.p99Ms),
    `${(f.errorRate * 100).toFixed(3)}% (${f.non2xx} non-2xx, ${f.errors} errors)`,
  ])
  const head = ['scenario', 'conns', 's', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'error rate']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '))
}

/** Signs in to the panel like a browser; returns the session cookie. */
export async function adminCookie(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/admin/login`)
  const first = page.headers.getSetCookie().find((c) => c.startsWith('minka.sid='))!
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: first.split(';')[0]!,
    },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  })
  if (res.status !== 303) throw new Error(`admin sign-in failed: ${res.status}`)
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('minka.sid='))!
    .split(';')[0]!
}

/** Cases for the inbox to list (contacts, their first message, an open case each). */
async function seedCases(url: string, count: number): Promise<void> {
  const { db } = openDatabase(url)
  try {
    const now = Date.now()
    for (let i = 0; i < count; i += 200) {
      const batch = Array.from({ length: Math.min(200, count - i) }, (_, j) => ({
        id: randomUUID(),
        at: new Date(now - (i + j) * 60_000),
      }))
      await db.$transaction([
        db.contact.createMany({
          data: batch.map((b) => ({
            id: b.id,
            channel: 'web',
            channelUserId: `load-${b.id}`,
            displayName: 'Carga',
          })),
        }),
        db.case.createMany({
          data: batch.map((b, k) => ({
            contactId: b.id,
            topic: ['legal', 'technical', 'training', 'other'][k % 4]!,
            status: k % 3 === 0 ? 'pending' : 'open',
            channel: 'web',
            lastActivityAt: b.at,
            lastInboundAt: b.at,
            createdAt: b.at,
          })),
        }),
      ])
    }
  } finally {
    await db.$disconnect()
  }
}

async function main(): Promise<void> {
  const duration = Number(arg('duration', '60'))
  const connections = Number(arg('connections', '200'))
  const only = arg('only', 'web,telegram,admin').split(',')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-load-'))
  const fake = await FakeBotApi.start()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const dbUrl = `file:${path.join(dir, 'minka.db')}`
  const minka = spawnMinka({
    DATABASE_URL: dbUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'admin@load.local',
    ADMIN_PASSWORD: PASSWORD,
    SESSION_SECRET: 'l'.repeat(40),
    ATTACHMENTS_DIR: path.join(dir, 'attachments'),
    WEB_CHANNEL_RATE_PER_MINUTE: '100000000',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: `${base}/telegram/hook`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    RETENTION_DAYS: '0',
  })
  const figures: LoadFigure[] = []
  try {
    await waitHealthy(port, minka.child)
    await fake.waitFor(() => fake.webhook !== null, 30_000)
    console.log(`Minka on ${base} (SQLite ${dbUrl}); ${duration} s × ${connections} connections`)
    let n = 0
    const run = async (scenario: string, opts: autocannon.Options) => {
      // 30 s before a request counts as an error: on a busy machine 200 connections queue up
      const reasons = new Map<string, number>()
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            duration,
            connections,
            timeout: Number(arg('timeout', '30')),
            debug: process.argv.includes('--debug'),
            ...opts,
          },
          (error, r) => (error ? reject(error as Error) : resolve(r)),
        )
        instance.on('reqError', (error: Error) => {
          const key = (error as { code?: string }).code ?? error.message
          reasons.set(key, (reasons.get(key) ?? 0) + 1)
        })
      })
      if (reasons.size > 0) console.log(`  ${scenario}: errors`, Object.fromEntries(reasons))
      figures.push(figureOf(scenario, result))
      console.log(`  ${scenario}: done`)
    }
    if (only.includes('web'))
      await run('web chat API POST /api/simulator/messages', {
        url: `${base}/api/simulator/messages`,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => {
              const i = n++
              req.body = JSON.stringify({
                userId: `w${i % USERS}`,
                text: ['hola', '1', '2', 'menu'][Math.floor(i / USERS) % 4],
                messageId: `load-${i}`,
              })
              return req
            },
          },
        ],
      })
    if (only.includes('telegram'))
      await run('Telegram webhook POST /telegram/hook', {
        url: `${base}/telegram/hook`,
        requests: [
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': SECRET,
            },
            setupRequest: (req) => {
              const i = n++
              const chat = 100_000 + (i % USERS)
              req.body = JSON.stringify(
                fake.message(chat, { text: ['hola', '1', '2'][i % 3] }, 1_000_000 + i),
              )
              return req
            },
          },
        ],
      })
    if (only.includes('admin')) {
      await seedCases(dbUrl, CASES)
      const cookie = await adminCookie(base, 'admin@load.local', PASSWORD)
      await run(`admin inbox GET /admin/cases (signed in, ${CASES} cases)`, {
        url: `${base}/admin/cases`,
        headers: { cookie },
      })
    }
  } finally {
    minka.child.kill('SIGTERM')
    await minka.exited
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log()
  printFigures(figures)
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures))
  const failed = figures.filter((f) => f.errorRate > 0)
  if (failed.length > 0) {
    console.error(`error rate above 0 in: ${failed.map((f) => f.scenario).join(', ')}`)
    process.exitCode = 1
  }
}

if (process.argv[1]?.endsWith(path.join('scripts', 'load', 'run.ts'))) await main()
