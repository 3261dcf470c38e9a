import fc from 'fast-check'
import { flowDefinitions } from '../../flows/definitions/index.ts'
import { parseSession, type Session } from '../../flows/session.ts'
import { renderPlainText, type InboundMessage } from '../../bot/messages.ts'
import { startTestBot, type TestBot } from '../support/test-bot.ts'
import { fuzzText } from './fuzz-text.ts'

/** Every question of every flow: a choice or an input step, where she is asked something. */
export function waitingSteps(): { flowId: string; stepId: string }[] {
  return flowDefinitions.flatMap((flow) =>
    Object.entries(flow.steps)
      .filter(([, s]) => s.kind === 'choice' || s.kind === 'input')
      .map(([stepId]) => ({ flowId: flow.id, stepId })),
  )
}

export type Facts = {
  consent: 'none' | 'given' | 'declined'
  locale: 'es' | 'en' | null
  country: 'BO' | 'PA' | null
  optedOut: boolean
  idle: boolean
  misses: number
}

export const facts: fc.Arbitrary<Facts> = fc.record({
  consent: fc.constantFrom('none', 'given', 'declined'),
  locale: fc.constantFrom('es', 'en', null),
  country: fc.constantFrom('BO', 'PA', null),
  optedOut: fc.boolean(),
  idle: fc.boolean(),
  misses: fc.nat(2),
})

/** What a channel may hand the pipeline: text, a button press (any option id), a file. */
export const inbound: fc.Arbitrary<Partial<InboundMessage>> = fc.oneof(
  { weight: 8, arbitrary: fuzzText.map((text) => ({ text })) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        choice: fc.oneof(
          fc.constantFrom('yes', 'no', 'accept', 'decline', 'es', 'en', 'BO', 'PA', 'human'),
          fc.string({ minLength: 1, maxLength: 200 }),
        ),
        text: fuzzText,
      },
      { requiredKeys: ['choice'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        media: fc.record(
          {
            kind: fc.constantFrom('audio', 'image', 'document', 'sticker', 'other'),
            ref: fc.constantFrom('2026-03/x.jpg', 'platform-file-id'),
            size: fc.nat(20_000_000),
            rejected: fc.constantFrom('too_large', 'unavailable'),
          },
          { requiredKeys: ['kind', 'ref'] },
        ),
        text: fuzzText,
      },
      { requiredKeys: ['media'] },
    ),
  },
)

export type PipelineFuzz = {
  bot: TestBot
  /** Puts a contact at `position` with these facts (null: a woman never seen); her user id. */
  place: (position: { flowId: string; stepId: string } | null, f: Facts) => Promise<string>
  /** Sends one message and checks everything the property promises. */
  sendAndCheck: (userId: string, message: Partial<InboundMessage>) => Promise<void>
  cleanup: () => Promise<void>
}

let users = 0
let messages = 0

/** The whole bot on a real SQLite file (seeded programme, real loaders), without a dispatcher. */
export async function startPipelineFuzz(): Promise<PipelineFuzz> {
  const bot = await startTestBot({ start: false })
  const { db } = bot.database

  const place: PipelineFuzz['place'] = async (position, f) => {
    const userId = `fuzz-${users++}`
    if (!position) return userId
    const now = bot.clock.now()
    const contact = await db.contact.create({
      data: {
        id: `c-${userId}`,
        channel: 'web',
        channelUserId: userId,
        locale: f.locale,
        country: f.country,
        consentAt: f.consent === 'given' ? now : null,
        consentDeclinedAt: f.consent === 'declined' ? now : null,
        optedOutAt: f.optedOut ? now : null,
        lastInboundAt: new Date(now.getTime() - 60_000),
      },
    })
    const session: Session = {
      v: 1,
      stack: [{ ...position, specVersion: 1, vars: {} }],
      misses: f.misses,
      lastActivityAt: new Date(now.getTime() - (f.idle ? 2 * 86_400_000 : 1000)).toISOString(),
      history: [position],
    }
    await db.session.create({
      data: {
        contactId: contact.id,
        ...position,
        state: JSON.stringify(session),
        specVersion: 1,
        expiresAt: new Date(now.getTime() + 86_400_000),
        updatedAt: now,
      },
    })
    return userId
  }

  const sendAndCheck: PipelineFuzz['sendAndCheck'] = async (userId, message) => {
    bot.clock.advance(1000)
    const result = await bot.runtime.pipeline.receive({
      channel: 'web',
      channelUserId: userId,
      platformMessageId: `fuzz-${messages++}`,
      text: '',
      receivedAt: bot.clock.now(),
      ...message,
    })
    if (result.duplicate) throw new Error('a new message taken for a duplicate')
    const handled = await result.handled
    if (!handled) throw new Error('not handled')
    // always answers, with readable text (never an untranslated key)
    const replies = handled.replies.map((r) => renderPlainText(r.payload))
    if (replies.length === 0) throw new Error('no reply')
    for (const r of replies) {
      if (!r.trim()) throw new Error('an empty reply')
      if (/^[a-z]+\.[\w.]+$/.test(r.trim())) throw new Error(`an untranslated key: ${r}`)
    }
    // never threw: the message was handled, not marked failed with an apology
    const row = await db.inboundMessage.findUniqueOrThrow({ where: { id: result.inboundId } })
    if (row.status !== 'handled') throw new Error(`message ${row.status}: ${row.error}`)
    // the stored session is one the schema accepts (none after BORRAR MIS DATOS)
    const session = await db.session.findUnique({ where: { contactId: handled.contactId } })
    if (session && !parseSession(session.state)) {
      throw new Error(`invalid session: ${session.state.slice(0, 300)}`)
    }
  }

  return { bot, place, sendAndCheck, cleanup: () => bot.close() }
}

/** The property: a contact at any question of any flow sends anything at all. */
export function checkAtEveryStep(
  f: PipelineFuzz,
  params: { numRuns: number; seed?: number },
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(fc.constantFrom(...waitingSteps()), facts, inbound, async (at, who, m) => {
      await f.sendAndCheck(await f.place(at, who), m)
    }),
    params,
  )
}

/** The property: a woman never seen before holds a whole conversation of bad input. */
export function checkWholeConversations(
  f: PipelineFuzz,
  params: { numRuns: number; seed?: number },
): Promise<void> {
  const newcomer: Facts = {
    consent: 'none',
    locale: null,
    country: null,
    optedOut: false,
    idle: false,
    misses: 0,
  }
  return fc.assert(
    fc.asyncProperty(fc.array(inbound, { minLength: 1, maxLength: 8 }), async (messages) => {
      const user = await f.place(null, newcomer)
      for (const m of messages) await f.sendAndCheck(user, m)
    }),
    params,
  )
}
