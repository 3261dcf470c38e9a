import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { parseConfig } from '../../app/config.ts'
import { createLogger } from '../../app/logger.ts'
import { openBot } from '../../app/start-minka.ts'
import type { ChannelAdapter, OutgoingMessage } from '../../bot/channels/channel-adapter.ts'
import { audienceSchema } from '../../bot/broadcasts/audience.ts'
import { cancel, materialise } from '../../bot/broadcasts/broadcasts.ts'
import { OutboxDispatcher } from '../../bot/outbox/dispatcher.ts'
import { claimDueRows } from '../../bot/outbox/outbox-store.ts'
import type { Db } from '../../app/db/open.ts'
import { percentile, rssSampler } from './conversation.ts'

/** A platform that takes every message at once and remembers what it got. */
class CountingChannel implements ChannelAdapter {
  readonly channel = 'telegram' as const
  readonly sendsPerSecond = Number.POSITIVE_INFINITY
  readonly at: number[] = []
  readonly ids: string[] = []
  readonly contacts: string[] = []
  isReady() {
    return true
  }
  async send(m: OutgoingMessage) {
    this.at.push(performance.now())
    this.ids.push(m.outboxId)
    this.contacts.push(m.contactId)
    return { ok: true as const }
  }
  health() {
    return { state: 'up' as const }
  }
}

export type BroadcastBench = {
  'broadcast.enqueue_contacts': number
  'broadcast.enqueue_ms': number
  'broadcast.enqueue_cpu_ms': number
  'broadcast.enqueue_rss_growth_mb': number
  'broadcast.delivery_rows': number
  'broadcast.delivery_limit_per_s': number
  'broadcast.delivery_rate_per_s': number
  'broadcast.delivery_rate_error_pct': number
  'broadcast.delivery_duplicates': number
  'broadcast.claim_broadcast_p50_ms': number
  'broadcast.claim_reply_p50_ms': number
}

/**
 * The dispatcher's two claims with the whole broadcast queued: 100 broadcast rows, and replies
 * (none are due, the worst case: every queued row is looked at). Each blocks the event loop
 * on SQLite for as long as it takes, so every woman's reply waits that long.
 */
async function claimTimes(db: Db, rounds: number) {
  const time = async (onlyBroadcasts: boolean) => {
    const ms: number[] = []
    for (let i = 0; i < rounds; i++) {
      const started = performance.now()
      await claimDueRows(db, {
        provider: 'sqlite',
        channels: ['telegram'],
        now: new Date(),
        leaseUntil: new Date(Date.now() + 60_000),
        limit: 100,
        pacedBroadcastChannels: ['telegram'],
        onlyBroadcasts,
      })
      ms.push(performance.now() - started)
    }
    return percentile(
      ms.sort((a, b) => a - b),
      50,
    )
  }
  return { broadcastP50: await time(true), replyP50: await time(false) }
}

/**
 * Issue 10's benchmark, on its own SQLite file: (1) materialise a broadcast to `contacts`
 * women (time, and RSS growth over the run); (2) deliver `deliver` rows through a fake
 * channel with the broadcast rate set to `rate` a second, and measure the achieved rate (first
 * send to last) and duplicates (a row or a woman sent more than once).
 */
export async function benchBroadcast(
  dir: string,
  opts: { contacts?: number; deliver?: number; rate?: number } = {},
): Promise<BroadcastBench> {
  const contacts = opts.contacts ?? 100_000
  const deliver = opts.deliver ?? 1_500
  const rate = opts.rate ?? 100
  const parsed = parseConfig({
    DATABASE_URL: `file:${path.join(dir, 'broadcast-bench.db')}`,
    ADMIN_PASSWORD: 'bench-password-123',
    LOG_LEVEL: 'silent',
  })
  if (!parsed.ok) throw new Error(parsed.message)
  const logger = createLogger('silent')
  const bot = await openBot(parsed.config, logger)
  const db = bot.database.db
  try {
    const staff = await db.staff.findFirstOrThrow()
    const T0 = new Date()
    for (let i = 0; i < contacts; i += 5_000) {
      await db.contact.createMany({
        data: Array.from({ length: Math.min(5_000, contacts - i) }, (_, k) => {
          const n = i + k
          return {
            id: `bench-${String(n).padStart(7, '0')}`,
            channel: 'telegram',
            channelUserId: `bench-${n}`,
            country: n < deliver ? 'PA' : 'BO',
            locale: n % 5 === 0 ? 'en' : 'es',
            consentAt: T0,
            lastInboundAt: T0,
          }
        }),
      })
    }
    const create = async (audience: object) => {
      const id = randomUUID()
      await db.broadcast.create({
        data: {
          id,
          title: 'bench',
          texts: JSON.stringify({ es: 'Capacitación el lunes', en: 'Training on Monday' }),
          audience: JSON.stringify(audienceSchema.parse(audience)),
          status: 'sending',
          createdById: staff.id,
        },
      })
      return id
    }

    // (1) enqueue to everyone
    const everyone = await create({})
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    const stopRss = rssSampler()
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const { created } = await materialise(db, bot.i18n, everyone)
    const enqueueMs = Math.round(performance.now() - started)
    const cpu = process.cpuUsage(cpuBefore)
    const enqueueCpuMs = Math.round((cpu.user + cpu.system) / 1000)
    const peakMb = stopRss()
    const growth = Math.max(0, peakMb - Math.round(rssBefore / 1_048_576))
    if (created !== contacts) throw new Error(`enqueued ${created} of ${contacts}`)
    const claims = await claimTimes(db, 20)
    await db.outboundMessage.updateMany({
      where: { origin: 'broadcast', originId: everyone },
      data: { status: 'cancelled' },
    })
    await cancel(db, everyone, new Date())

    // (2) deliver a smaller one at a set rate
    const some = await create({ country: 'PA' })
    await materialise(db, bot.i18n, some)
    const channel = new CountingChannel()
    const dispatcher = new OutboxDispatcher({
      db,
      provider: 'sqlite',
      adapters: [channel],
      logger,
      broadcastRates: { telegram: { perSecond: rate } },
    })
    dispatcher.start()
    while (channel.ids.length < deliver) await new Promise((r) => setTimeout(r, 100))
    // a little longer: anything sent twice would show now
    await new Promise((r) => setTimeout(r, 1_000))
    await dispatcher.stop()
    const seconds = (channel.at.at(-1)! - channel.at[0]!) / 1000
    const achieved = (channel.ids.length - 1) / seconds
    const duplicates =
      channel.ids.length - new Set(channel.ids).size + (deliver - new Set(channel.contacts).size)
    return {
      'broadcast.enqueue_contacts': contacts,
      'broadcast.enqueue_ms': enqueueMs,
      'broadcast.enqueue_cpu_ms': enqueueCpuMs,
      'broadcast.enqueue_rss_growth_mb': growth,
      'broadcast.delivery_rows': channel.ids.length,
      'broadcast.delivery_limit_per_s': rate,
      'broadcast.delivery_rate_per_s': Number(achieved.toFixed(1)),
      'broadcast.delivery_rate_error_pct': Number(
        ((Math.abs(achieved - rate) / rate) * 100).toFixed(2),
      ),
      'broadcast.delivery_duplicates': duplicates,
      'broadcast.claim_broadcast_p50_ms': claims.broadcastP50,
      'broadcast.claim_reply_p50_ms': claims.replyP50,
    }
  } finally {
    await bot.close()
  }
}

// `npx tsx scripts/bench/broadcast.ts` runs it alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const os = await import('node:os')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-bc-bench-'))
  try {
    console.log(await benchBroadcast(dir))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  process.exit(0)
}
