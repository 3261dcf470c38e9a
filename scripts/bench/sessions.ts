import { readFileSync } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import Database from 'better-sqlite3'
import { stopMinka } from '../../test/support/minka-process.ts'
import { startBenchMinka } from './bench-minka.ts'

/**
 * 10,000 stored sessions, measured on the process a deployment runs (`npm start`'s entry point
 * on SQLite), not on the bench process whose heap still holds its own load generator: RSS at
 * rest when fresh, peak and at rest after 10,000 women each sent a first message over the web
 * chat API, and the start-up time to /healthz on that database.
 */
export type SessionsResult = {
  sessions: number
  idleFreshRssMb: number
  peakRssMb: number
  restRssMb: number
  restartMs: number
  restartRssMb: number
}

const WOMEN = 10_000
const CONCURRENCY = 50

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024)
}

const settle = () => new Promise((r) => setTimeout(r, 2_000))

function pending(file: string): { pending: number; sessions: number } {
  const db = new Database(file, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT (SELECT count(*) FROM "InboundMessage" WHERE "status" = 'received')
              + (SELECT count(*) FROM "OutboundMessage" WHERE "status" IN ('queued', 'sending')) AS pending,
                (SELECT count(*) FROM "Session") AS sessions`,
      )
      .get() as { pending: number; sessions: number }
  } finally {
    db.close()
  }
}

export async function benchSessions(file: string): Promise<SessionsResult> {
  let minka = await startBenchMinka(`file:${file}`)
  try {
    await settle()
    const idleFreshRssMb = rssMb(minka.child)
    let peak = idleFreshRssMb
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(minka.child))), 50)
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < WOMEN; i = next++) {
          const res = await fetch(`${minka.base}/api/simulator/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ userId: `rest-${i}`, text: 'hola', messageId: `rest-${i}` }),
          })
          await res.arrayBuffer()
          if (res.status !== 202) throw new Error(`sessions bench: HTTP ${res.status}`)
        }
      }),
    )
    while (pending(file).pending > 0) await new Promise((r) => setTimeout(r, 50))
    clearInterval(sampler)
    await settle()
    const restRssMb = rssMb(minka.child)
    const { sessions } = pending(file)
    await stopMinka(minka.child)
    minka = await startBenchMinka(`file:${file}`)
    await settle()
    return {
      sessions,
      idleFreshRssMb,
      peakRssMb: Math.max(peak, restRssMb),
      restRssMb,
      restartMs: minka.ms,
      restartRssMb: rssMb(minka.child),
    }
  } finally {
    await stopMinka(minka.child)
  }
}
