import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createLogger } from '../../app/logger.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { ChannelAdapter, OutgoingMessage } from '../channels/channel-adapter.ts'
import { OutboxDispatcher } from './dispatcher.ts'
import { TokenBucket } from './token-bucket.ts'

const logger = createLogger('silent')

class FakeChannel implements ChannelAdapter {
  readonly sendsPerSecond = Number.POSITIVE_INFINITY
  sent: OutgoingMessage[] = []
  constructor(readonly channel: 'telegram' | 'whatsapp') {}
  isReady() {
    return true
  }
  async send(m: OutgoingMessage) {
    this.sent.push(m)
    return { ok: true as const }
  }
  health() {
    return { state: 'up' as const }
  }
}

let database: TestDatabase
afterEach(() => database.cleanup())

async function row(db: Db, channel: string, origin: 'reply' | 'broadcast', priority: number) {
  const contactId = randomUUID()
  await db.contact.create({ data: { id: contactId, channel, channelUserId: contactId } })
  const at = new Date(Date.now() - 1000)
  const id = randomUUID()
  await db.outboundMessage.create({
    data: {
      id,
      contactId,
      channel,
      channelUserId: contactId,
      payload: JSON.stringify({ kind: 'text', text: origin }),
      status: 'queued',
      priority,
      nextAttemptAt: at,
      origin,
      createdAt: at,
    },
  })
  return id
}

describe('broadcast rates in the dispatcher', () => {
  it('sends replies at once and claims broadcast rows only as the channel rate allows', async () => {
    database = await freshSqlite()
    const db = database.db
    const replies = [await row(db, 'whatsapp', 'reply', 0), await row(db, 'whatsapp', 'reply', 0)]
    for (let i = 0; i < 5; i++) await row(db, 'whatsapp', 'broadcast', 20)
    for (let i = 0; i < 3; i++) await row(db, 'telegram', 'broadcast', 20)
    const whatsapp = new FakeChannel('whatsapp')
    const telegram = new FakeChannel('telegram')
    const d = new OutboxDispatcher({
      db,
      provider: 'sqlite',
      adapters: [whatsapp, telegram],
      logger,
      // one every 100 s: a single token at the start, none again during the test
      broadcastRates: { whatsapp: { perSecond: 0.01, jitterMs: 5000 } },
    })
    await d.dispatchOnce()
    const sentWhatsApp = whatsapp.sent.map((m) => m.outboxId)
    expect(sentWhatsApp.slice(0, 2).sort()).toEqual([...replies].sort())
    expect(sentWhatsApp).toHaveLength(3) // both replies and one broadcast row
    // Telegram has no broadcast rate here: only its channel pace applies
    expect(telegram.sent).toHaveLength(3)
    // the rest wait queued, not claimed: nothing sits in 'sending' holding a lease
    expect(await db.outboundMessage.count({ where: { status: 'sending' } })).toBe(0)
    expect(
      await db.outboundMessage.count({
        where: { status: 'queued', origin: 'broadcast', channel: 'whatsapp' },
      }),
    ).toBe(4)
    // a reply written now still goes out at once, ahead of the waiting broadcast
    const late = await row(db, 'whatsapp', 'reply', 0)
    await d.dispatchOnce()
    expect(whatsapp.sent.map((m) => m.outboxId).slice(3)).toEqual([late])
  })
})

describe('TokenBucket.tryTake', () => {
  it('takes only free tokens, refunds unused ones, and postpones by the jitter', () => {
    let t = 0
    const bucket = new TokenBucket(10, 5, () => t)
    expect(bucket.tryTake(100)).toBe(5)
    expect(bucket.tryTake(100)).toBe(0)
    bucket.refund(2)
    expect(bucket.tryTake(1)).toBe(1)
    expect(bucket.tryTake(5)).toBe(1)
    t += 1000 // 10 more, capped at the burst of 5
    expect(bucket.tryTake(100)).toBe(5)
    t += 500
    bucket.postpone(300) // 3 of the 5 accrued tokens go to the pause
    expect(bucket.tryTake(100)).toBe(2)
  })
})
