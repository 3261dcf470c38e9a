import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { adapterSqlite, backupTo, recordStatements, replayCeiling } from './ceiling.ts'
import { closedLoop } from './conversation.ts'

const TABLES = ['Contact', 'Session', 'InboundMessage', 'OutboundMessage'] as const

function dump(file: string) {
  const db = new (adapterSqlite())(file) // the library Minka's connection uses: see adapterSqlite
  try {
    return Object.fromEntries(
      TABLES.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()]),
    )
  } finally {
    db.close()
  }
}

async function drained(bot: TestBot) {
  const { db } = bot.database
  bot.clock.advance(1_000) // its rows are due a millisecond apart from the test's fixed clock
  while ((await db.outboundMessage.count({ where: { status: { in: ['queued', 'sending'] } } })) > 0)
    await new Promise((r) => setTimeout(r, 20))
}

let bot: TestBot | undefined
afterEach(async () => {
  await bot?.close()
  bot = undefined
})

// The bench's ceiling is only Minka's own work if the recording holds every statement: replayed
// on the copy taken before, it must leave the same rows Minka left.
describe('the SQLite ceiling replay', () => {
  it('replays exactly what Minka wrote, conversations and outbox sends included', async () => {
    bot = await startTestBot()
    const file = bot.database.url.replace(/^file:/, '')
    const copy = path.join(path.dirname(file), `replay-${path.basename(file)}`)
    await drained(bot)
    await backupTo(file, copy)
    const stop = recordStatements()
    const run = await closedLoop(bot.runtime.pipeline, 20, 'replay-test')
    await drained(bot)
    const recorded = stop()
    expect(run.lost).toBe(0)
    const replay = replayCeiling(copy, recorded, run.messages)
    expect(replay.statementsPerMsg).toBeGreaterThan(1)
    const live = dump(file)
    expect(live.OutboundMessage!.length).toBeGreaterThanOrEqual(run.messages)
    expect(dump(copy)).toEqual(live)
  })
})
