import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../app/logger.ts'
import type { Db } from '../../app/db/open.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channels/channel-adapter.ts'
import { retryDelayMs } from './backoff.ts'
import { OutboxDispatcher } from './dispatcher.ts'
import { claimDueRows, claimStatement } from './outbox-store.ts'

const logger = createLogger('silent')

/** A stand-in for a platform (the outside world): records sends, fails as told. */
class FakeChannel implements ChannelAdapter {
  readonly channel = 'telegram' as const
  sent: OutgoingMessage[] = []
  ready = true
  constructor(
    readonly sendsPerSecond = Number.POSITIVE_INFINITY,
    private readonly respond: (m: OutgoingMessage, n: number) => SendResult = () => ({ ok: true }),
  ) {}
  isReady() {
    return this.ready
  }
  async send(m: OutgoingMessage): Promise<SendResult> {
    const result = this.respond(m, this.sent.filter((s) => s.outboxId === m.outboxId).length)
    this.sent.push(m)
    return result
  }
  health() {
    return { state: 'up' as const }
  }
}

async function addContact(db: Db, id = randomUUID()) {
  await db.contact.create({ data: { id, channel: 'telegram', channelUserId: id } })
  return id
}

async function queue(db: Db, contactId: string, n: number, at = new Date(Date.now() - 1000)) {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = randomUUID()
    ids.push(id)
    await db.outboundMessage.create({
      data: {
        id,
        contactId,
        channel: 'telegram',
        channelUserId: contactId,
        payload: JSON.stringify({ kind: 'text', text: `m${i}` }),
        status: 'queued',
        nextAttemptAt: at,
        origin: 'reply',
        seq: i,
        createdAt: at,
      },
    })
  }
  return ids
}

const dbs: TestDatabase[] = []
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.cleanup()))
})

describe('retryDelayMs', () => {
  it('grows exponentially, is capped and jittered within [ceiling/2, ceiling]', () => {
    expect(retryDelayMs(1, () => 0)).toBe(500)
    expect(retryDelayMs(1, () => 1)).toBe(1000)
    expect(retryDelayMs(4, () => 1)).toBe(8000)
    expect(retryDelayMs(30, () => 1)).toBe(300_000)
    expect(retryDelayMs(30, () => 0)).toBe(150_000)
  })
})

describe('OutboxDispatcher on SQLite', () => {
  it('sends her rows in order and marks them sent', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    const ids = await queue(t.db, contact, 5)
    const channel = new FakeChannel()
    const d = new OutboxDispatcher({ db: t.db, provider: 'sqlite', adapters: [channel], logger })
    expect(await d.dispatchOnce()).toBe(5)
    expect(channel.sent.map((m) => m.outboxId)).toEqual(ids)
    const rows = await t.db.outboundMessage.findMany()
    expect(rows.every((r) => r.status === 'sent' && r.sentAt)).toBe(true)
    expect(await d.dispatchOnce()).toBe(0)
  })

  it('retries a transient failure with growing back-off, keeping her order, then succeeds', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    const [first, second] = await queue(t.db, contact, 2)
    let clock = Date.now()
    const channel = new FakeChannel(Infinity, (m, n) =>
      m.outboxId === first && n < 2
        ? { ok: false, permanent: false, reason: '500 server error' }
        : { ok: true },
    )
    const d = new OutboxDispatcher({
      db: t.db,
      provider: 'sqlite',
      adapters: [channel],
      logger,
      now: () => new Date(clock),
      random: () => 1,
    })
    await d.dispatchOnce()
    let row = await t.db.outboundMessage.findUniqueOrThrow({ where: { id: first } })
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: '500 server error' })
    expect(row.nextAttemptAt.getTime() - clock).toBe(1000)
    // the second row waits behind the first: nothing is claimable until the retry is due
    expect(await d.dispatchOnce()).toBe(0)
    clock += 1000
    await d.dispatchOnce()
    row = await t.db.outboundMessage.findUniqueOrThrow({ where: { id: first } })
    expect(row.attempts).toBe(2)
    expect(row.nextAttemptAt.getTime() - clock).toBe(2000)
    clock += 2000
    await d.dispatchOnce() // the first goes out
    await d.dispatchOnce() // then the one behind it
    const sent = channel.sent.filter(
      (_, i, all) => all.findIndex((x) => x.outboxId === all[i]!.outboxId) === i,
    )
    expect(sent.map((m) => m.outboxId)).toEqual([first, second])
    expect((await t.db.outboundMessage.findMany({ where: { status: 'sent' } })).length).toBe(2)
  })

  it('marks a permanent failure failed with its reason and goes on', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    const [bad, good] = await queue(t.db, contact, 2)
    const channel = new FakeChannel(Infinity, (m) =>
      m.outboxId === bad
        ? { ok: false, permanent: true, reason: '400 message is too long' }
        : { ok: true },
    )
    const d = new OutboxDispatcher({ db: t.db, provider: 'sqlite', adapters: [channel], logger })
    await d.dispatchOnce()
    expect(await t.db.outboundMessage.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({
      status: 'failed',
      lastError: '400 message is too long',
    })
    expect((await t.db.outboundMessage.findUniqueOrThrow({ where: { id: good } })).status).toBe(
      'sent',
    )
  })

  it('gives up after the maximum attempts', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    const [id] = await queue(t.db, contact, 1)
    let clock = Date.now()
    const channel = new FakeChannel(Infinity, () => ({
      ok: false,
      permanent: false,
      reason: 'timeout',
    }))
    const d = new OutboxDispatcher({
      db: t.db,
      provider: 'sqlite',
      adapters: [channel],
      logger,
      now: () => new Date(clock),
      maxAttempts: 3,
    })
    for (let i = 0; i < 5; i++) {
      await d.dispatchOnce()
      clock += 10 * 60_000
    }
    expect(channel.sent).toHaveLength(3)
    expect(await t.db.outboundMessage.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({
      status: 'failed',
      attempts: 3,
    })
  })

  it('marks her unreachable when she blocked the bot and cancels the rest', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    await queue(t.db, contact, 3)
    const channel = new FakeChannel(Infinity, () => ({
      ok: false,
      permanent: true,
      unreachable: true,
      reason: '403 bot was blocked by the user',
    }))
    const d = new OutboxDispatcher({ db: t.db, provider: 'sqlite', adapters: [channel], logger })
    await d.dispatchOnce()
    expect(channel.sent).toHaveLength(1)
    const c = await t.db.contact.findUniqueOrThrow({ where: { id: contact } })
    expect(c.unreachableAt).not.toBeNull()
    const statuses = (await t.db.outboundMessage.findMany({ orderBy: { seq: 'asc' } })).map(
      (r) => r.status,
    )
    expect(statuses).toEqual(['failed', 'cancelled', 'cancelled'])
  })

  it('leaves rows queued while the channel is down, and re-queues expired leases', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const contact = await addContact(t.db)
    const [id] = await queue(t.db, contact, 1)
    const channel = new FakeChannel()
    channel.ready = false
    const d = new OutboxDispatcher({ db: t.db, provider: 'sqlite', adapters: [channel], logger })
    expect(await d.dispatchOnce()).toBe(0)
    expect((await t.db.outboundMessage.findUniqueOrThrow({ where: { id: id! } })).status).toBe(
      'queued',
    )
    // a process died holding the row: its lease expires and the row goes out once
    await t.db.outboundMessage.update({
      where: { id: id! },
      data: { status: 'sending', leaseUntil: new Date(Date.now() - 1) },
    })
    channel.ready = true
    d.start()
    await expect.poll(() => channel.sent.length, { timeout: 5000 }).toBe(1)
    await d.stop()
    expect((await t.db.outboundMessage.findUniqueOrThrow({ where: { id: id! } })).status).toBe(
      'sent',
    )
  })
})

describe('OutboxDispatcher on PostgreSQL', () => {
  it('two dispatchers on one database never send the same row', async () => {
    const t = await freshPostgres(20)
    dbs.push(t)
    const contacts = await Promise.all(Array.from({ length: 40 }, () => addContact(t.db)))
    for (const c of contacts) await queue(t.db, c, 5)
    const sent: string[] = []
    const make = () => {
      const ch = new FakeChannel()
      const original = ch.send.bind(ch)
      ch.send = async (m) => {
        sent.push(m.outboxId)
        await new Promise((r) => setTimeout(r, 1))
        return original(m)
      }
      return new OutboxDispatcher({
        db: t.db,
        provider: 'postgresql',
        adapters: [ch],
        logger,
        batchSize: 25,
      })
    }
    const a = make()
    const b = make()
    for (let round = 0; round < 20; round++) {
      const [x, y] = await Promise.all([a.dispatchOnce(), b.dispatchOnce()])
      if (x + y === 0) break
    }
    expect(sent).toHaveLength(200)
    expect(new Set(sent).size).toBe(200)
    expect(await t.db.outboundMessage.count({ where: { status: 'sent' } })).toBe(200)
  })
})

describe('claimDueRows', () => {
  it.each([
    ['sqlite', freshSqlite],
    ['postgresql', () => freshPostgres()],
  ])('claims no more than the limit on %s', async (provider, fresh) => {
    const t = await fresh()
    dbs.push(t)
    for (let i = 0; i < 6; i++) await queue(t.db, await addContact(t.db), 1)
    const now = new Date()
    const claim = () =>
      claimDueRows(t.db, {
        provider: provider as 'sqlite' | 'postgresql',
        channels: ['telegram'],
        now,
        leaseUntil: new Date(now.getTime() + 60_000),
        limit: 2,
      })
    expect(await claim()).toHaveLength(2)
    expect(await claim()).toHaveLength(2)
    expect(await t.db.outboundMessage.count({ where: { status: 'sending' } })).toBe(4)
  })
})

describe('claimDueRows with broadcasts paced', () => {
  async function mixedQueue(db: Db) {
    const at = new Date(Date.now() - 1000)
    const rows = [
      { origin: 'broadcast', priority: 20 },
      { origin: 'reminder', priority: 10 },
      { origin: 'reply', priority: 0 },
      { origin: 'case', priority: 5 },
      { origin: 'broadcast', priority: 20 },
    ]
    for (const [i, r] of rows.entries()) {
      const contactId = await addContact(db)
      await db.outboundMessage.create({
        data: {
          id: `row-${i}`,
          contactId,
          channel: 'telegram',
          channelUserId: contactId,
          payload: JSON.stringify({ kind: 'text', text: r.origin }),
          status: 'queued',
          priority: r.priority,
          nextAttemptAt: at,
          origin: r.origin,
          createdAt: at,
        },
      })
    }
  }
  const opts = (provider: 'sqlite' | 'postgresql', onlyBroadcasts: boolean) => {
    const now = new Date()
    return {
      provider,
      channels: ['telegram'],
      now,
      leaseUntil: new Date(now.getTime() + 60_000),
      limit: 10,
      pacedBroadcastChannels: ['telegram'],
      onlyBroadcasts,
    }
  }

  it.each([
    ['sqlite', freshSqlite],
    ['postgresql', () => freshPostgres()],
  ])('takes every row but broadcasts, then only broadcasts, on %s', async (provider, fresh) => {
    const t = await fresh()
    dbs.push(t)
    await mixedQueue(t.db)
    const p = provider as 'sqlite' | 'postgresql'
    const first = await claimDueRows(t.db, opts(p, false))
    expect(first.map((r) => r.id).sort()).toEqual(['row-1', 'row-2', 'row-3'])
    const second = await claimDueRows(t.db, opts(p, true))
    expect(second.map((r) => r.id).sort()).toEqual(['row-0', 'row-4'])
  })

  // Why it matters: on SQLite a claim blocks the event loop. Before, each claim read and sorted
  // every queued row (79 ms with a broadcast to 100,000 queued); now it reads the rows it takes.
  it('on SQLite reads the queue through its ordered index, sorting nothing', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    for (const onlyBroadcasts of [false, true]) {
      const sql = claimStatement(opts('sqlite', onlyBroadcasts))
      const plan = await t.db.$queryRawUnsafe<{ detail: string }[]>(
        `EXPLAIN QUERY PLAN ${sql.sql}`,
        ...sql.values,
      )
      const details = plan.map((r) => r.detail)
      expect(details.some((d) => d.includes('TEMP B-TREE'))).toBe(false)
      const reads = details.filter((d) => /^(SEARCH|SCAN) (o|OutboundMessage)\b/.test(d))
      // the picked rows through the ordered index, the update by primary key
      expect(reads).toHaveLength(2)
      expect(reads[0]).toMatch(
        /USING (COVERING )?INDEX sqlite_autoindex_OutboundMessage_1 \(id=\?\)/,
      )
      expect(reads[1]).toContain('OutboundMessage_claim_order_idx')
      if (!onlyBroadcasts) expect(reads[1]).toContain('priority<?')
    }
  })
})
