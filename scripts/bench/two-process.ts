import type { ChildProcess } from 'node:child_process'
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
}

type Process = { child: ChildProcess; base: string }

const start = (url: string): Promise<Process> => startBenchMinka(url, { DATABASE_POOL_SIZE: '10' })

const stop = (p: Process) => stopMinka(p.child)

/** Sends every woman's turns to her process; resolves when every reply is marked sent. */
async function drive(
  db: pg.Client,
  processes: Process[],
  users: number,
  prefix: string,
): Promise<{ msgsPerS: number; lost: number; replies: number }> {
  const started = performance.now()
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
  return { msgsPerS: Math.round(messages / seconds), lost, replies: Number(c.replies) }
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
    }
  } finally {
    for (const p of running) await stop(p)
    await db.end().catch(() => undefined)
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
}
