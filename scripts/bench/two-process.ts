import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { stopMinka } from '../../test/support/minka-process.ts'
import { startBenchMinka } from './bench-minka.ts'
import { SCRIPT } from './conversation.ts'

/**
 * Two Minka processes on one PostgreSQL database against one: the same conversations (web chat
 * API, each woman's five turns in order) sent over HTTP to one process, then split between two
 * (each woman to one of them, as a load balancer with affinity would). Throughput counts from
 * the first message to the last reply marked sent. Then, counted: every message stored once,
 * handled once (her session's version is her number of messages), answered, and every reply
 * sent; the two-process run must write as many replies as the one-process run.
 */
export type TwoProcessResult = {
  users: number
  messages: number
  oneMsgsPerS: number
  twoMsgsPerS: number
  speedup: number
  oneLost: number
  twoLost: number
  twoDuplicated: number
  oneCpu: CpuSplit
  twoCpu: CpuSplit
}

type Process = { child: ChildProcess; base: string }

/** Where the machine's CPU went during a run (Linux /proc; clock ticks of 10 ms). */
export type CpuSplit = {
  /** busy share of all cores, % */
  busyPct: number
  /** CPU ms per message: the Minka processes, PostgreSQL's, this bench client */
  minkaMs: number
  postgresMs: number
  clientMs: number
}

function ticksOf(stat: string): number {
  // the fields after the command name, which is in parentheses and may hold spaces
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12]) // utime, stime
}

function cpuSnapshot() {
  const all = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const byCommand = { node: 0, postgres: 0 }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      if (command === 'node' || command === 'postgres') byCommand[command] += ticksOf(stat)
    } catch {
      /* the process ended meanwhile */
    }
  }
  return {
    idle: all[3]! + all[4]!,
    total: all.reduce((a, b) => a + b, 0),
    ...byCommand,
    self: ticksOf(readFileSync('/proc/self/stat', 'utf8')),
  }
}

function cpuSplit(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  messages: number,
): CpuSplit {
  const perMsg = (ticks: number) => Number(((ticks * 10) / messages).toFixed(2))
  const self = after.self - before.self
  return {
    busyPct: Math.round(100 * (1 - (after.idle - before.idle) / (after.total - before.total))),
    minkaMs: perMsg(after.node - before.node - self),
    postgresMs: perMsg(after.postgres - before.postgres),
    clientMs: perMsg(self),
  }
}

const start = (url: string): Promise<Process> => startBenchMinka(url, { DATABASE_POOL_SIZE: '10' })

const stop = (p: Process) => stopMinka(p.child)

/** Sends every woman's turns to her process; resolves when every reply is marked sent. */
async function drive(
  db: pg.Client,
  processes: Process[],
  users: number,
  prefix: string,
): Promise<{ msgsPerS: number; lost: number; replies: number; cpu: CpuSplit }> {
  const started = performance.now()
  const cpuBefore = cpuSnapshot()
  let refused = 0
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const { base } = processes[u % processes.length]!
      for (const [i, text] of SCRIPT.entries()) {
        const res = await fetch(`${base}/api/simulator/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            userId: `${prefix}-${u}`,
            text,
            messageId: `${prefix}-${u}-${i}`,
          }),
        })
        await res.arrayBuffer()
        if (res.status !== 202) refused++
      }
    }),
  )
  const messages = users * SCRIPT.length
  for (;;) {
    const { rows } = await db.query<{ pending: string }>(
      `SELECT (SELECT count(*) FROM "InboundMessage" WHERE "status" = 'received')
            + (SELECT count(*) FROM "OutboundMessage" WHERE "status" IN ('queued', 'sending')) AS pending`,
    )
    if (Number(rows[0]!.pending) === 0) break
    if (performance.now() - started > 600_000) throw new Error('two-process bench: no end')
    await new Promise((r) => setTimeout(r, 50))
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuSplit(cpuBefore, cpuSnapshot(), users * SCRIPT.length)
  const counted = await db.query<{
    handled: string
    answered: string
    replies: string
    whole: string
  }>(
    `SELECT
       (SELECT count(*) FROM "InboundMessage" WHERE "status" = 'handled') AS handled,
       (SELECT count(DISTINCT "inboundId") FROM "OutboundMessage" WHERE "status" = 'sent') AS answered,
       (SELECT count(*) FROM "OutboundMessage" WHERE "status" = 'sent') AS replies,
       (SELECT count(*) FROM "Session" WHERE "version" = ${SCRIPT.length}) AS whole`,
  )
  const c = counted.rows[0]!
  // lost: refused by HTTP, not handled, unanswered, or a session that did not see 5 messages
  const lost =
    refused +
    (messages - Number(c.handled)) +
    (messages - Number(c.answered)) +
    (users - Number(c.whole))
  return { msgsPerS: Math.round(messages / seconds), lost, replies: Number(c.replies), cpu }
}

export async function benchTwoProcess(adminUrl: string, users = 300): Promise<TwoProcessResult> {
  const name = `minka_bench2_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await admin.query(`CREATE DATABASE "${name}"`)
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  const db = new pg.Client({ connectionString: url })
  const running: Process[] = []
  try {
    running.push(await start(url)) // migrates and seeds the new database
    await db.connect()
    const one = await drive(db, running, users, 'one')
    await db.query('TRUNCATE "Contact" CASCADE') // the second run starts from the same state
    running.push(await start(url))
    const two = await drive(db, running, users, 'two')
    return {
      users,
      messages: users * SCRIPT.length,
      oneMsgsPerS: one.msgsPerS,
      twoMsgsPerS: two.msgsPerS,
      speedup: Number((two.msgsPerS / one.msgsPerS).toFixed(2)),
      oneLost: one.lost,
      twoLost: two.lost,
      // the same conversations give the same replies: any extra one was sent twice
      twoDuplicated: Math.max(0, two.replies - one.replies),
      oneCpu: one.cpu,
      twoCpu: two.cpu,
    }
  } finally {
    for (const p of running) await stop(p)
    await db.end().catch(() => undefined)
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
}
