import { expect } from 'vitest'
import type { Db } from '../../../app/db/open.ts'

/** Posts one message to the web channel; true once Minka stored it (202). */
export async function postMessage(
  port: number,
  userId: string,
  text: string,
  messageId: string,
): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text, messageId }),
      signal: AbortSignal.timeout(20_000),
    })
    await res.arrayBuffer()
    return res.status === 202
  } catch {
    return false
  }
}

/**
 * Like a platform that redelivers until acknowledged: posts until Minka stored it (the same
 * messageId every time, so a message stored but not acknowledged is not stored twice).
 */
export async function deliver(port: number, userId: string, text: string, messageId: string) {
  let tries = 0
  for (;;) {
    tries++
    if (await postMessage(port, userId, text, messageId)) return tries
    if (tries > 300) throw new Error(`message ${messageId} never accepted`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * Every stored message was handled, once: each has its replies, every woman's session was
 * advanced exactly once per message (version), and every reply went out.
 */
export async function expectAnsweredOnce(db: Db, opts: { expected?: number } = {}) {
  await expect
    .poll(() => db.inboundMessage.count({ where: { status: { not: 'handled' } } }), {
      timeout: 60_000,
      interval: 200,
    })
    .toBe(0)
  const inbound = await db.inboundMessage.findMany()
  if (opts.expected !== undefined) expect(inbound.length).toBe(opts.expected)
  const repliesPerInbound = await db.outboundMessage.groupBy({ by: ['inboundId'], _count: true })
  expect(repliesPerInbound.filter((r) => r.inboundId !== null).length).toBe(inbound.length)
  const sessions = await db.session.findMany()
  for (const s of sessions) {
    const handled = inbound.filter((m) => m.contactId === s.contactId).length
    expect(s.version).toBe(handled)
  }
  await expect
    .poll(() => db.outboundMessage.count({ where: { status: { not: 'sent' } } }), {
      timeout: 60_000,
      interval: 200,
    })
    .toBe(0)
  return inbound.length
}

export async function healthStatus(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(5_000),
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}
