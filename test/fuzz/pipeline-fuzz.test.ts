import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fuzzParams, NPM_TEST_SEED } from './fuzz-text.ts'
import {
  checkAtEveryStep,
  checkWholeConversations,
  startPipelineFuzz,
  waitingSteps,
  type PipelineFuzz,
} from './pipeline-fuzz.ts'

// A few hundred cases here; the fault suite runs 10,000 per property (test/faults/fuzz.test.ts).
let f: PipelineFuzz
beforeAll(async () => {
  f = await startPipelineFuzz()
})
afterAll(() => f.cleanup())

describe('bad input through the real pipeline (SQLite, real loaders)', () => {
  it('covers every question of every flow', () => {
    expect(waitingSteps().length).toBeGreaterThan(20)
  })

  it('at any question of any flow: never throws, always answers, session stays valid', async () => {
    await checkAtEveryStep(f, fuzzParams(200, NPM_TEST_SEED))
  }, 120_000)

  it('in a whole conversation of bad input from a new contact', async () => {
    await checkWholeConversations(f, fuzzParams(25, NPM_TEST_SEED))
  }, 120_000)

  it('keeps text no database can store as the replacement character', async () => {
    const user = await f.place(null, { consent: 'none', locale: null, country: null, optedOut: false, idle: false, misses: 0 }) // prettier-ignore
    await f.sendAndCheck(user, { text: '\udfffhola\u0000' })
    const stored = await f.bot.database.db.inboundMessage.findFirstOrThrow({
      where: { channelUserId: user },
    })
    expect(stored.status).toBe('handled')
  })
})
