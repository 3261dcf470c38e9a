import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../app/logger.ts'
import type { ChannelAdapter } from '../channels/channel-adapter.ts'
import { freshPostgres, type TestDatabase } from '../../test/support/test-db.ts'
import { withAdminClient } from '../../test/support/postgres.ts'
import {
  DispatcherLeadership,
  leaderLockKey,
  openPgLockSession,
  type LockSession,
} from './dispatcher-leader.ts'

// One dispatcher per channel account across processes, on the real PostgreSQL server: two
// leaderships stand for two processes (each has its own lock connection, as a process would).
// The kill -9 of a whole Minka process is in test/faults/leader.test.ts.
let database: TestDatabase
beforeAll(async () => {
  database = await freshPostgres(2)
})
afterAll(() => database.cleanup())

const logger = createLogger('silent')
const accounts = [
  { channel: 'telegram', account: '123456' },
  { channel: 'whatsapp', account: 'default' },
]

function leadership(sessions: LockSession[] = []) {
  const acquired: string[] = []
  const l = new DispatcherLeadership({
    accounts,
    logger,
    retryMs: 50,
    openSession: async () => {
      const s = await openPgLockSession(database.url)
      sessions.push(s)
      return s
    },
    onAcquired: (a) => acquired.push(a.channel),
  })
  return { l, acquired, sessions }
}

const adapter = (channel: 'telegram' | 'web', ready = true): ChannelAdapter => ({
  channel,
  sendsPerSecond: 30,
  isReady: () => ready,
  send: async () => ({ ok: true }),
  health: () => ({ state: 'up' }),
})

describe('DispatcherLeadership on PostgreSQL', () => {
  it('lets one process dispatch each account; the other takes over when it stops', async () => {
    const first = leadership()
    const second = leadership()
    await first.l.start()
    await second.l.start()
    try {
      expect(first.l.isLeader('telegram')).toBe(true)
      expect(first.l.isLeader('whatsapp')).toBe(true)
      expect(first.acquired).toEqual(['telegram', 'whatsapp'])
      expect(second.l.isLeader('telegram')).toBe(false)
      expect(second.l.isLeader('whatsapp')).toBe(false)
      // the web channel has no account: every process sends its own rows
      expect(second.l.isLeader('web')).toBe(true)
      await first.l.stop()
      expect(first.l.isLeader('telegram')).toBe(false)
      await expect.poll(() => second.l.isLeader('telegram'), { timeout: 5000 }).toBe(true)
      expect(second.l.isLeader('whatsapp')).toBe(true)
      expect(second.acquired).toEqual(['telegram', 'whatsapp'])
    } finally {
      await first.l.stop()
      await second.l.stop()
    }
  })

  it('steps down when its lock connection dies, and the other process takes over', async () => {
    const first = leadership()
    const second = leadership()
    await first.l.start()
    await second.l.start()
    try {
      expect(first.l.isLeader('telegram')).toBe(true)
      // what PostgreSQL sees when a process is killed: its connection goes away
      const [classid, objid] = leaderLockKey('telegram', '123456')
      const killed = await withAdminClient((c) =>
        c.query(
          `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid
             AND l.objid = $2::bigint::oid AND d.datname = $3`,
          [classid, objid >>> 0, new URL(database.url).pathname.slice(1)],
        ),
      )
      expect(killed.rowCount).toBe(1)
      await expect.poll(() => second.l.isLeader('telegram'), { timeout: 5000 }).toBe(true)
      await expect.poll(() => first.l.isLeader('telegram'), { timeout: 5000 }).toBe(false)
      // never both at once for long: once the second holds it, the first does not
      expect(first.l.isLeader('telegram') && second.l.isLeader('telegram')).toBe(false)
    } finally {
      await first.l.stop()
      await second.l.stop()
    }
  })

  it('gates an adapter: not ready while another process leads, everything else passes', async () => {
    const first = leadership()
    const second = leadership()
    await first.l.start()
    await second.l.start()
    try {
      const telegram = adapter('telegram')
      expect(first.l.gate(telegram).isReady()).toBe(true)
      const gated = second.l.gate(telegram)
      expect(gated.isReady()).toBe(false)
      expect(gated.sendsPerSecond).toBe(30)
      expect(gated.channel).toBe('telegram')
      expect(await gated.send({} as never)).toEqual({ ok: true })
      expect(second.l.gate(adapter('web')).isReady()).toBe(true)
      // a leader whose channel is down is not ready either
      expect(first.l.gate(adapter('telegram', false)).isReady()).toBe(false)
    } finally {
      await first.l.stop()
      await second.l.stop()
    }
  })
})

describe('leaderLockKey', () => {
  it('is stable per account and differs between accounts', () => {
    expect(leaderLockKey('telegram', '1')).toEqual(leaderLockKey('telegram', '1'))
    expect(leaderLockKey('telegram', '1')).not.toEqual(leaderLockKey('telegram', '2'))
    expect(leaderLockKey('telegram', '1')).not.toEqual(leaderLockKey('whatsapp', '1'))
  })
})
