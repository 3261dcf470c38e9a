import type { Logger } from 'pino'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { loadProgrammeFlows } from '../../flows/programme-flows.ts'
import { Runtime, type RuntimeOptions } from '../../bot/runtime.ts'
import { renderPlainText, type InboundMessage } from '../../bot/messages.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from './test-db.ts'

/** A settable clock for deterministic conversations. */
export class TestClock {
  constructor(private t: number = Date.parse('2026-03-02T18:00:00Z')) {}
  now = (): Date => new Date(this.t)
  set(iso: string): void {
    this.t = Date.parse(iso)
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export type TestBot = {
  database: TestDatabase
  runtime: Runtime
  clock: TestClock
  logger: Logger
  /** Sends one message as `userId` and returns the bot's replies as plain text. */
  say: (userId: string, text: string, extra?: Partial<InboundMessage>) => Promise<string[]>
  close: () => Promise<void>
}

let counter = 0

/** A whole bot on a fresh database (seeded), without HTTP, with a fixed clock. */
export async function startTestBot(
  opts: {
    provider?: 'sqlite' | 'postgresql'
    runtime?: Partial<RuntimeOptions>
    start?: boolean
  } = {},
): Promise<TestBot> {
  const database = opts.provider === 'postgresql' ? await freshPostgres() : await freshSqlite()
  const logger = createLogger('silent')
  await seedProgramme(database.db, {
    adminEmail: 'admin@test.local',
    adminPassword: 'a-long-test-password',
    log: logger,
  })
  const { registry, i18n } = await loadProgrammeFlows()
  const clock = new TestClock()
  const runtime = new Runtime({
    db: database.db,
    provider: database.target.provider,
    registry,
    i18n,
    logger,
    now: clock.now,
    pollMs: 20,
    ...opts.runtime,
  })
  if (opts.start !== false) await runtime.start()
  const say = async (userId: string, text: string, extra: Partial<InboundMessage> = {}) => {
    const result = await runtime.pipeline.receive({
      channel: 'web',
      channelUserId: userId,
      platformMessageId: `t-${counter++}`,
      text,
      receivedAt: clock.now(),
      ...extra,
    })
    if (result.duplicate) return []
    const handled = await result.handled
    return (handled?.replies ?? []).map((r) => renderPlainText(r.payload))
  }
  return {
    database,
    runtime,
    clock,
    logger,
    say,
    close: async () => {
      await runtime.stop()
      await database.cleanup()
    },
  }
}
