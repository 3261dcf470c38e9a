import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkAdminRoutes, startAdminFuzz, type AdminFuzz } from '../fuzz/admin-fuzz.ts'
import { fuzzParams } from '../fuzz/fuzz-text.ts'
import {
  checkAtEveryStep,
  checkWholeConversations,
  startPipelineFuzz,
  type PipelineFuzz,
} from '../fuzz/pipeline-fuzz.ts'

// The bad-input properties of test/fuzz/, 10,000 generated cases each (FUZZ_RUNS to change), a
// new random sample every run (FUZZ_SEED=<seed printed by a failure> replays one).
const PARAMS = fuzzParams(10_000)
const RUNS = PARAMS.numRuns
const HOUR = 3_600_000

function timed<T>(name: string, runs: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  return run().finally(() => {
    const s = (performance.now() - started) / 1000
    console.log(`fuzz: ${name}: ${runs} runs in ${s.toFixed(1)} s`)
  })
}

describe('bad input, 10,000 cases per property', () => {
  let pipeline: PipelineFuzz
  let admin: AdminFuzz
  beforeAll(async () => {
    pipeline = await startPipelineFuzz()
    admin = await startAdminFuzz()
  })
  afterAll(async () => {
    await pipeline?.cleanup()
    await admin?.cleanup()
  })

  it(
    'any message at any question of any flow',
    async () => {
      await timed('pipeline, every step', RUNS, () => checkAtEveryStep(pipeline, PARAMS))
    },
    HOUR,
  )

  it(
    'whole conversations of bad input: RUNS / 4 conversations, about RUNS messages',
    async () => {
      await timed('pipeline, conversations', Math.ceil(RUNS / 4), () =>
        checkWholeConversations(pipeline, { ...PARAMS, numRuns: Math.ceil(RUNS / 4) }),
      )
    },
    HOUR,
  )

  it(
    'admin routes with random query strings and form bodies',
    async () => {
      expect(await timed('admin routes', RUNS, () => checkAdminRoutes(admin, PARAMS))).toBeGreaterThanOrEqual(RUNS) // prettier-ignore
    },
    HOUR,
  )
})
