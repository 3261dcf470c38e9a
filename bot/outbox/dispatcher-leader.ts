import { createHash } from 'node:crypto'
import pg from 'pg'
import { pgPoolConfig } from '../../app/db/adapters.ts'
import type { Logger } from '../../app/logger.ts'
import type { ChannelAdapter } from '../channels/channel-adapter.ts'

/**
 * Advisory-lock namespace of the outbox leaders ('Mnka'). Locks taken with two int4 keys never
 * meet the pipeline's one-bigint per-woman locks: PostgreSQL keeps the two key spaces apart.
 */
const LOCK_CLASS = 0x4d6e6b61

/** The two int4 keys of a channel account's lock: a stable hash of "channel:account". */
export function leaderLockKey(channel: string, account: string): [number, number] {
  const digest = createHash('sha256').update(`outbox:${channel}:${account}`).digest()
  return [LOCK_CLASS, digest.readInt32BE(0)]
}

/** One outbox dispatcher per channel account: which account, on which channel. */
export type ChannelAccount = { channel: string; account: string }

/** Where the locks are taken; a session on PostgreSQL, or a fake in tests. */
export interface LockSession {
  /** Tries the lock without waiting; true when this session holds it (now or already). */
  tryLock(key: [number, number]): Promise<boolean>
  /** Throws when the session is gone (its locks with it). */
  ping(): Promise<void>
  close(): Promise<void>
}

export type LeadershipOptions = {
  accounts: ChannelAccount[]
  openSession: () => Promise<LockSession>
  logger: Logger
  /** How often a follower tries to take over, and the holder checks its connection. */
  retryMs?: number
  /** Called when this process starts dispatching an account (to look for due rows at once). */
  onAcquired?: (account: ChannelAccount) => void
}

/**
 * Decides, across processes sharing one PostgreSQL database, which one dispatches each channel
 * account's outbox: the one whose dedicated connection holds a session-level advisory lock on
 * it. A channel's pace (Telegram's 30 messages/s, WhatsApp's ban-avoiding rate) holds per
 * account, so two processes must not each send at the full rate. When the holder dies its
 * connection closes, PostgreSQL releases the lock, and a follower takes over at its next try.
 * If the holder's own connection breaks, it stops dispatching at once (it may no longer hold
 * the lock) and competes again on a new connection.
 */
export class DispatcherLeadership {
  private readonly held = new Set<string>()
  private session: LockSession | undefined
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private stopped = false

  constructor(private readonly opts: LeadershipOptions) {}

  /** Whether this process dispatches `channel` (channels without an account always do). */
  isLeader(channel: string): boolean {
    const account = this.opts.accounts.find((a) => a.channel === channel)
    return account === undefined || this.held.has(nameOf(account))
  }

  /** The adapter as the dispatcher should see it: not ready while another process leads. */
  gate(adapter: ChannelAdapter): ChannelAdapter {
    const isLeader = () => this.isLeader(adapter.channel)
    // A Proxy rather than a wrapper class: whatever the adapter offers the dispatcher (rates,
    // new fields) passes through untouched; only readiness depends on holding the lock.
    return new Proxy(adapter, {
      get(target, property) {
        if (property === 'isReady') return () => isLeader() && target.isReady()
        const value: unknown = Reflect.get(target, property, target)
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
  }

  /** First attempt now (so a lone process dispatches from its start), then every retryMs. */
  async start(): Promise<void> {
    if (this.opts.accounts.length === 0) return
    await this.tick()
    this.timer = setInterval(() => void this.tick(), this.opts.retryMs ?? 2000)
    this.timer.unref()
  }

  /** Lets the locks go (closing the connection releases them) so a follower takes over now. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.ticking
    this.dropAll('stopping')
    await this.session?.close().catch(() => undefined)
    this.session = undefined
  }

  private tick(): Promise<void> {
    this.ticking ??= this.attempt().finally(() => (this.ticking = undefined))
    return this.ticking
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return
    const { logger } = this.opts
    try {
      this.session ??= await this.opts.openSession()
      await this.session.ping()
    } catch (error) {
      this.dropAll('connection lost')
      logger.warn({ err: error }, 'outbox leader: lock connection failed; will retry')
      const broken = this.session
      this.session = undefined
      // not awaited: ending a connection that hangs could hang too
      void broken?.close().catch(() => undefined)
      return
    }
    for (const account of this.opts.accounts) {
      const name = nameOf(account)
      if (this.held.has(name) || this.stopped) continue
      try {
        if (await this.session.tryLock(leaderLockKey(account.channel, account.account))) {
          this.held.add(name)
          logger.info({ channel: account.channel }, 'outbox leader: this process dispatches')
          this.opts.onAcquired?.(account)
        }
      } catch (error) {
        logger.warn({ err: error, channel: account.channel }, 'outbox leader: lock attempt failed')
      }
    }
  }

  private dropAll(reason: string): void {
    for (const account of this.opts.accounts) {
      if (this.held.delete(nameOf(account)))
        this.opts.logger.warn({ channel: account.channel, reason }, 'outbox leader: stepped down')
    }
  }
}

function nameOf(a: ChannelAccount): string {
  return `${a.channel}:${a.account}`
}

/**
 * A dedicated PostgreSQL connection for the locks (not one of the pool's: a pooled connection
 * would carry the session lock to whichever query borrowed it next).
 */
export async function openPgLockSession(url: string, timeoutMs = 5000): Promise<LockSession> {
  const client = new pg.Client({
    ...pgPoolConfig(url),
    keepAlive: true,
    query_timeout: timeoutMs,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'minka-outbox-leader',
  })
  let broken: Error | undefined
  // An idle connection's error arrives as an event; without a listener it would crash Minka.
  client.on('error', (error) => (broken = error))
  client.on('end', () => (broken ??= new Error('lock connection ended')))
  await client.connect()
  return {
    async tryLock([a, b]) {
      const res = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1::int, $2::int) AS ok',
        [a, b],
      )
      return res.rows[0]?.ok === true
    },
    async ping() {
      if (broken) throw broken
      await client.query('SELECT 1')
    },
    async close() {
      await client.end()
    },
  }
}
