import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../app/db/open.ts'
import { freePort, spawnMinka, waitHealthy } from '../support/minka-process.ts'

// kill -9 in the middle of a burst of conversations, then restart on the same database: every
// message stored before the kill is answered exactly once. Counted, not sampled.
const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-kill-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function startMinka(file: string, port: number) {
  const { child } = spawnMinka({
    DATABASE_URL: `file:${file}`,
    PORT: String(port),
    LOG_LEVEL: 'error',
    ADMIN_PASSWORD: 'fault-test-password',
    WEB_CHANNEL_RATE_PER_MINUTE: '1000000',
  })
  await waitHealthy(port, child)
  return child
}

describe('kill -9 mid-burst', () => {
  it('answers every stored message exactly once after a restart', async () => {
    const file = path.join(dir, 'kill.db')
    const port = await freePort()
    const first = await startMinka(file, port)
    const users = 60
    const script = ['hola', '1', '1', '1', '3', 'menu', '2', '1']
    let accepted = 0
    let refused = 0
    const burst = Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (const [i, text] of script.entries()) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/simulator/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ userId: `u${u}`, text, messageId: `u${u}-${i}` }),
            })
            if (res.status === 202) accepted++
          } catch {
            refused++ // the process is gone: this one was never stored
            return
          }
        }
      }),
    )
    // kill once the burst is well under way (a fixed delay would depend on the machine's load)
    const total = users * script.length
    for (let i = 0; i < 600 && accepted < total / 3; i++)
      await new Promise((r) => setTimeout(r, 10))
    const exited = new Promise((r) => first.once('exit', r))
    first.kill('SIGKILL')
    await burst
    await exited
    expect(accepted).toBeGreaterThan(0)

    const second = await startMinka(file, port)
    const { db } = openDatabase(`file:${file}`)
    try {
      await expect
        .poll(() => db.inboundMessage.count({ where: { status: 'received' } }), { timeout: 30_000 })
        .toBe(0)
      const inbound = await db.inboundMessage.findMany()
      // everything the HTTP API acknowledged was stored before the kill
      expect(inbound.length).toBeGreaterThanOrEqual(accepted)
      expect(inbound.every((m) => m.status === 'handled')).toBe(true)
      // each message got its replies, and no message was handled twice: every handling bumps
      // her session's version by exactly one
      const repliesPerInbound = await db.outboundMessage.groupBy({
        by: ['inboundId'],
        _count: true,
      })
      expect(repliesPerInbound.length).toBe(inbound.length)
      const sessions = await db.session.findMany({ include: { contact: true } })
      for (const s of sessions) {
        const handled = inbound.filter((m) => m.contactId === s.contactId).length
        expect(s.version, `contact ${s.contact.channelUserId}`).toBe(handled)
      }
      // and every reply goes out
      await expect
        .poll(() => db.outboundMessage.count({ where: { status: { not: 'sent' } } }), {
          timeout: 30_000,
        })
        .toBe(0)
      console.log(
        `kill -9: ${accepted} acknowledged, ${inbound.length} stored, ${refused} refused, all answered once`,
      )
    } finally {
      const stopped = new Promise((r) => second.once('exit', r))
      second.kill('SIGTERM')
      await stopped
      await db.$disconnect()
    }
  }, 120_000)
})
