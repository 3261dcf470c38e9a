import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { ChannelAdapter, OutgoingMessage } from '../channels/channel-adapter.ts'
import { OutboxDispatcher } from '../outbox/dispatcher.ts'
import { claimDueRows, requeueExpiredLeases } from '../outbox/outbox-store.ts'
import { audienceSchema } from './audience.ts'
import { finishIfDone, materialise, progress } from './broadcasts.ts'

const i18n = await createI18n()
const logger = createLogger('silent')
let database: TestDatabase
let db: Db

class FakeTelegram implements ChannelAdapter {
  readonly channel = 'telegram' as const
  readonly sendsPerSecond = Number.POSITIVE_INFINITY
  sent: OutgoingMessage[] = []
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

afterEach(() => database.cleanup())

describe.each(['sqlite', 'postgresql'] as const)('on %s', (provider) => {
  it('a crash mid-materialise and mid-send still sends each woman exactly one, after replies', async () => {
    database = provider === 'sqlite' ? await freshSqlite() : await freshPostgres()
    db = database.db
    const T0 = new Date('2026-12-01T12:00:00Z')
    let clock = T0
    const now = () => clock
    await db.staff.create({
      data: { id: 's', email: 's@test.local', name: 's', passwordHash: 'x', role: 'admin' },
    })
    const women: string[] = []
    for (let i = 0; i < 12; i++) {
      const id = randomUUID()
      women.push(id)
      await db.contact.create({
        data: { id, channel: 'telegram', channelUserId: id, consentAt: T0, lastInboundAt: T0 },
      })
    }
    const id = randomUUID()
    await db.broadcast.create({
      data: {
        id,
        title: 't',
        texts: JSON.stringify({ es: 'Aviso' }),
        audience: JSON.stringify(audienceSchema.parse({})),
        status: 'sending',
        createdById: 's',
      },
    })
    // the process dies after the first batch is written
    expect((await materialise(db, i18n, id, { batchSize: 5, maxBatches: 1, now })).created).toBe(5)

    // a woman talking to the bot right now: her reply, written later, goes first
    clock = new Date(T0.getTime() + 1000)
    const replyId = randomUUID()
    await db.outboundMessage.create({
      data: {
        id: replyId,
        contactId: women[11]!,
        channel: 'telegram',
        channelUserId: women[11]!,
        payload: JSON.stringify({ kind: 'text', text: 'respuesta' }),
        status: 'queued',
        priority: 0,
        nextAttemptAt: clock,
        origin: 'reply',
        createdAt: clock,
      },
    })
    const channel = new FakeTelegram()
    const dispatcher = (batchSize: number) =>
      new OutboxDispatcher({ db, provider, adapters: [channel], logger, now, batchSize })
    // the broadcast rows are older, but the one row claimed is her reply
    await dispatcher(1).dispatchOnce()
    expect(channel.sent[0]?.outboxId).toBe(replyId)

    // the next process claims two rows and dies before sending them
    const lost = await claimDueRows(db, {
      provider,
      channels: ['telegram'],
      now: clock,
      leaseUntil: new Date(clock.getTime() + 60_000),
      limit: 2,
    })
    expect(lost).toHaveLength(2)

    // restart: leases run out, materialising resumes, sending goes on to the end
    clock = new Date(clock.getTime() + 120_000)
    await requeueExpiredLeases(db, clock)
    expect((await materialise(db, i18n, id, { batchSize: 5, now })).created).toBe(7)
    const d = dispatcher(3)
    while ((await d.dispatchOnce()) > 0);

    const broadcastSends = channel.sent.filter((m) => m.outboxId !== replyId)
    expect(broadcastSends.map((m) => m.contactId).sort()).toEqual([...women].sort())
    expect(await finishIfDone(db, id, clock)).toBe(true)
    expect(await progress(db, id)).toMatchObject({ total: 12, sent: 12, queued: 0 })
  })
})
