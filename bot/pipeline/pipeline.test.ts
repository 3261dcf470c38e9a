import { afterEach, describe, expect, it } from 'vitest'
import { storeInbound } from './conversation-store.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { Runtime } from '../runtime.ts'
import { readLocaleResources } from '../../app/i18n.ts'
import { flowDefinitions } from '../../flows/definitions/index.ts'
import { loadFlows } from '../../flows/registry.ts'
import { loadProgrammeFlows } from '../../flows/programme-flows.ts'
import { defineFlow } from '../../flows/define-flow.ts'

const bots: TestBot[] = []
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()))
})

async function bot(opts: Parameters<typeof startTestBot>[0] = {}) {
  const b = await startTestBot(opts)
  bots.push(b)
  return b
}

describe('Pipeline', () => {
  it('answers the same platform message delivered five times once', async () => {
    const b = await bot()
    const message = {
      channel: 'web' as const,
      channelUserId: 'ana',
      platformMessageId: 'same-id',
      text: 'hola',
      receivedAt: b.clock.now(),
    }
    const results = await Promise.all(
      Array.from({ length: 5 }, () => b.runtime.pipeline.receive(message)),
    )
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1)
    await Promise.all(results.map((r) => (r.duplicate ? null : r.handled)))
    const { db } = b.database
    expect(await db.inboundMessage.count()).toBe(1)
    const replies = await db.outboundMessage.count()
    expect(replies).toBeGreaterThan(0)
    // one more redelivery later changes nothing
    expect((await b.runtime.pipeline.receive(message)).duplicate).toBe(true)
    expect(await db.outboundMessage.count()).toBe(replies)
  })

  it('answers two messages sent at once in order, as if sent one after the other', async () => {
    const b = await bot()
    const sequential = [...(await b.say('seq', 'hola')), ...(await b.say('seq', '1'))]
    const [first, second] = await Promise.all(
      ['hola', '1'].map((text, i) =>
        b.runtime.pipeline.receive({
          channel: 'web',
          channelUserId: 'par',
          platformMessageId: `par-${i}`,
          text,
          receivedAt: b.clock.now(),
        }),
      ),
    )
    const handled = await Promise.all(
      [first, second].map((r) => (r!.duplicate ? null : r!.handled)),
    )
    const concurrent = handled.flatMap(
      (h) => h?.replies.map((r) => JSON.stringify(r.payload)) ?? [],
    )
    const expected = (
      await b.database.db.outboundMessage.findMany({
        where: { contact: { channelUserId: 'seq' } },
        orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
      })
    ).map((r) => r.payload)
    expect(sequential.length).toBeGreaterThan(1)
    expect(concurrent).toEqual(expected)
  })

  it('continues a half-finished conversation in a new runtime on the same database', async () => {
    const b = await bot()
    await b.say('maria', 'hola')
    const afterOne = await b.database.db.session.findFirstOrThrow()
    await b.runtime.stop()
    const { registry, i18n } = await loadProgrammeFlows()
    const second = new Runtime({
      db: b.database.db,
      provider: 'sqlite',
      registry,
      i18n,
      logger: b.logger,
      now: b.clock.now,
    })
    const reply = await second.pipeline.receive({
      channel: 'web',
      channelUserId: 'maria',
      platformMessageId: 'after-restart',
      text: '1',
      receivedAt: b.clock.now(),
    })
    const handled = reply.duplicate ? null : await reply.handled
    expect(handled?.status).toBe('handled')
    const session = await b.database.db.session.findFirstOrThrow()
    expect(session.version).toBe(afterOne.version + 1)
    expect(`${session.flowId}/${session.stepId}`).not.toBe(`${afterOne.flowId}/${afterOne.stepId}`)
    await second.stop()
  })

  it('answers, after a restart, a message that was stored but never handled', async () => {
    const b = await bot({ start: false })
    await storeInbound(b.database.db, 'orphan', {
      channel: 'web',
      channelUserId: 'lucia',
      platformMessageId: 'stored-before-crash',
      text: 'hola',
      receivedAt: b.clock.now(),
    })
    expect(await b.runtime.pipeline.resumeUnhandled(0)).toBe(1)
    await expect
      .poll(
        async () =>
          (await b.database.db.inboundMessage.findUniqueOrThrow({ where: { id: 'orphan' } }))
            .status,
      )
      .toBe('handled')
    const replies = await b.database.db.outboundMessage.count()
    expect(replies).toBeGreaterThan(0)
    // a second sweep finds nothing to do: answered exactly once
    expect(await b.runtime.pipeline.resumeUnhandled(0)).toBe(0)
    expect(await b.database.db.outboundMessage.count()).toBe(replies)
  })

  it('does not keep what she wrote before she consents', async () => {
    const b = await bot()
    await b.say('rosa', 'me llamo Rosa y vivo en El Alto')
    const stored = await b.database.db.inboundMessage.findFirstOrThrow()
    expect(stored.status).toBe('handled')
    expect(stored.text).toBeNull()
  })

  it.each([
    ['empty text', ''],
    ['only spaces', '   '],
    ['only emoji', '🙂🙂🌸'],
    ['an unknown command', '/foo bar'],
    ['control characters', '\u0000\u0007\u001b[31m'],
  ])('replies helpfully to %s and keeps going', async (_name, text) => {
    const b = await bot()
    const replies = await b.say('x', text)
    expect(replies.length).toBeGreaterThan(0)
    expect(replies.join('').trim().length).toBeGreaterThan(0)
    expect((await b.say('x', 'menu')).length).toBeGreaterThan(0)
  })

  it('truncates a 64 KB message, says so, and keeps the conversation alive', async () => {
    const b = await bot()
    const replies = await b.say('big', 'a'.repeat(65_536))
    expect(replies[0]).toMatch(/muy largo|very long/)
    const stored = await b.database.db.inboundMessage.findFirstOrThrow()
    expect(stored.textTruncated).toBe(true)
    expect((await b.say('big', 'hola')).length).toBeGreaterThan(0)
  })

  it('acknowledges a sticker or a voice note with no text', async () => {
    const b = await bot()
    const replies = await b.say('s', '', {
      text: undefined,
      media: { kind: 'sticker', ref: 'sticker-1' },
    })
    expect(replies.length).toBeGreaterThan(0)
  })
})

describe('Pipeline when handling fails', () => {
  it('apologises, keeps her session and answers her next message', async () => {
    let failing = true
    // a flow whose question needs data from a loader that fails like a broken query
    const explode = defineFlow({
      id: 'explode',
      specVersion: 1,
      start: 'ask',
      steps: {
        ask: {
          kind: 'choice',
          key: 'pipeline.error',
          load: 'boom',
          optionsFrom: 'boom',
          next: 'end',
          empty: 'end',
        },
      },
    })
    const resources = readLocaleResources()
    const b = await bot({
      runtime: {
        registry: loadFlows([...flowDefinitions, explode], resources),
        loaders: {
          boom: async () => {
            if (failing) throw new Error('database hiccup')
            return null
          },
        },
      },
    })
    const { db } = b.database
    await db.contact.create({
      data: {
        id: 'eva',
        channel: 'web',
        channelUserId: 'eva',
        locale: 'es',
        country: 'BO',
        consentAt: new Date(),
      },
    })
    const state = JSON.stringify({
      v: 1,
      stack: [{ flowId: 'explode', stepId: 'ask', specVersion: 1, vars: {} }],
      misses: 0,
      lastActivityAt: b.clock.now().toISOString(),
      history: [],
    })
    await db.session.create({
      data: {
        contactId: 'eva',
        flowId: 'explode',
        stepId: 'ask',
        state,
        specVersion: 1,
        expiresAt: new Date(Date.now() + 3_600_000),
        updatedAt: new Date(),
      },
    })
    const replies = await b.say('eva', '1')
    expect(replies).toEqual([
      'Disculpe, algo falló con su último mensaje. Escriba MENÚ para ver las opciones.',
    ])
    const failed = await db.inboundMessage.findFirstOrThrow({ where: { channelUserId: 'eva' } })
    expect(failed.status).toBe('failed')
    expect(failed.error).toBe('database hiccup')
    expect((await db.session.findUniqueOrThrow({ where: { contactId: 'eva' } })).state).toBe(state)
    failing = false
    const next = await b.say('eva', 'menu')
    expect(next.join('\n')).toMatch(/¿En qué le puedo ayudar\?/)
  })
})
