import fc from 'fast-check'
import type { i18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { EffectSchema } from '../effects.ts'
import type { EngineInput } from '../engine-input.ts'
import { OutputSchema } from '../outputs.ts'
import type { FlowRegistry } from '../registry.ts'
import { loadProgrammeFlows } from '../programme-flows.ts'
import { parseSession, type Session } from '../session.ts'
import { Conversation, DAY_MS, NO_DATA } from '../testing/conversation.ts'
import { flowDefinitions } from './index.ts'

let registry: FlowRegistry
let i18n: i18n

beforeAll(async () => {
  ;({ registry, i18n } = await loadProgrammeFlows())
})

const WORDS = [
  '1', '2', '3', '0', '9', '2️⃣', 'dos', 'segunda', 'sí', 'no', 'acepto', 'menu', 'MENÚ', 'atrás',
  'ayuda', 'humano', 'idioma', 'baja', 'STOP', 'borrar mis datos', 'hoy', 'Cholas', '', '   ', '🙂',
] // prettier-ignore

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...WORDS),
  fc.constantFrom(...WORDS).map((w) => `${w} ${w}`),
)

const input: fc.Arbitrary<EngineInput> = fc.oneof(
  { weight: 6, arbitrary: text.map((t) => ({ kind: 'text' as const, text: t })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('choice' as const),
      optionId: fc.constantFrom('yes', 'no', 'accept', 'es', 'BO', 'human', 'continue', 'x'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant('media' as const),
        mediaKind: fc.constantFrom('audio' as const, 'image' as const, 'sticker' as const),
        ref: fc.constant('media-1'),
        text,
      },
      { requiredKeys: ['kind', 'mediaKind', 'ref'] },
    ),
  },
)

const contact = fc.record({
  consent: fc.constantFrom('none' as const, 'given' as const, 'declined' as const),
  locale: fc.constantFrom('es', 'en', null),
  country: fc.constantFrom('BO' as const, 'PA' as const, null),
  optedOut: fc.boolean(),
  fields: fc.record(
    { openCaseId: fc.constantFrom(7, null), suggestedCountry: fc.constantFrom('BO', 'PA') },
    { requiredKeys: [] },
  ),
})

function waitingSteps(): { flowId: string; stepId: string }[] {
  return flowDefinitions.flatMap((flow) =>
    Object.entries(flow.steps)
      .filter(([, s]) => s.kind === 'choice' || s.kind === 'input')
      .map(([stepId]) => ({ flowId: flow.id, stepId })),
  )
}

function checkReply(c: Conversation, rendered: string[]) {
  const { outputs, effects, session } = c.last
  expect(outputs.length).toBeGreaterThanOrEqual(1)
  expect(rendered.every((r) => r.trim().length > 0 && !/^(flows|engine)\./.test(r))).toBe(true)
  for (const o of outputs) expect(OutputSchema.safeParse(o).success).toBe(true)
  for (const e of effects) expect(EffectSchema.safeParse(e).success).toBe(true)
  if (session) expect(parseSession(JSON.stringify(session))).toEqual(session)
}

describe('anything she sends, at any step of any flow', () => {
  it('never throws and always answers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...waitingSteps()),
        contact,
        input,
        fc.nat(3),
        fc.boolean(),
        fc.boolean(),
        (position, facts, message, misses, idle, offered) => {
          const c = new Conversation({
            registry,
            i18n,
            contact: facts,
            faqSearch: true,
            loaders: NO_DATA,
          })
          const session: Session = {
            v: 1,
            stack: [{ ...position, specVersion: 1, vars: {} }],
            misses: Math.min(misses, 2),
            lastActivityAt: new Date(c.now.getTime() - (idle ? 2 * DAY_MS : 1000)).toISOString(),
            history: [position],
            ...(offered && { resumeOffered: true }),
          }
          c.session = session
          checkReply(c, c.send(message))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('never throws and always answers in a whole random conversation', () => {
    fc.assert(
      fc.property(contact, fc.array(input, { minLength: 1, maxLength: 25 }), (facts, messages) => {
        const c = new Conversation({ registry, i18n, contact: facts, loaders: NO_DATA })
        for (const message of messages) {
          checkReply(c, c.send(message))
          c.now = new Date(c.now.getTime() + 60_000)
        }
      }),
      { numRuns: 500 },
    )
  })
})
