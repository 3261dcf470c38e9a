import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { audienceSchema } from './audience.ts'
import { renderBroadcast } from './broadcasts.ts'
import { FOLLOW_UP_WINDOW_MS } from './follow-up-answers.ts'
import { followUpSchema, matchOption, renderFollowUp } from './follow-up.ts'

const followUp = followUpSchema.parse({
  question: { es: '¿Le interesa?', en: 'Are you interested?' },
  options: [
    { es: 'Me interesa', en: 'I am interested' },
    { es: 'No puedo ir', en: '' },
  ],
})

describe('matchOption', () => {
  it.each([
    ['1', '1'],
    [' 2. ', '2'],
    ['(1)', '1'],
    ['me interesa!', '1'],
    ['ME INTERESA', '1'],
    ['I am interested', '1'],
    ['no puedo ir', '2'],
  ])('%j answers option %s', (text, option) => {
    expect(matchOption(followUp, text)).toBe(option)
  })
  it.each(['3', '0', '12', 'BAJA', 'hola', '¿dónde es la capacitación?', 'me interesa mucho'])(
    '%j is not an answer',
    (text) => {
      expect(matchOption(followUp, text)).toBeNull()
    },
  )
})

describe('renderBroadcast with a follow-up question', () => {
  it('puts the question and numbered options in her language before the BAJA line', async () => {
    const i18n = await createI18n()
    const texts = { es: 'Capacitación el lunes', en: 'Training on Monday' }
    const es = renderBroadcast(i18n, { texts, followUp }, 'es')
    expect(es).toEqual({
      kind: 'text',
      text: `Capacitación el lunes\n\n¿Le interesa?\n1 = Me interesa\n2 = No puedo ir\n\n${i18n.t('broadcasts.stop_line', { lng: 'es' })}`,
    })
    // an option with no English text falls back to Spanish
    expect(renderFollowUp(followUp, 'en')).toBe(
      'Are you interested?\n1 = I am interested\n2 = No puedo ir',
    )
    const media = renderBroadcast(i18n, { texts, followUp, mediaRef: '2026-11/a.jpg' }, 'en')
    expect(media).toMatchObject({ kind: 'media', ref: '2026-11/a.jpg' })
    expect(media.kind === 'media' && media.caption).toMatch(/^Training on Monday\n\nAre you/)
  })
})

describe('answers through the inbound pipeline', () => {
  let bot: TestBot
  let broadcastId: string
  let thanks: () => string

  beforeAll(async () => {
    bot = await startTestBot({ start: false })
    const i18n = await createI18n()
    thanks = () => i18n.t('broadcasts.follow_up_thanks', { lng: 'es' })
    const db = bot.database.db
    const staff = await db.staff.findFirstOrThrow()
    broadcastId = randomUUID()
    await db.broadcast.create({
      data: {
        id: broadcastId,
        title: 'Capacitación',
        texts: JSON.stringify({ es: 'Capacitación el lunes' }),
        followUp: JSON.stringify(followUp),
        audience: JSON.stringify(audienceSchema.parse({})),
        status: 'done',
        createdById: staff.id,
      },
    })
  })
  afterAll(() => bot.close())

  /** A consenting woman who wrote an hour ago and then received the broadcast. */
  async function recipient(opts: { sentAgoMs?: number; withFollowUp?: boolean } = {}) {
    const db = bot.database.db
    const now = bot.clock.now().getTime()
    const sentAt = new Date(now - (opts.sentAgoMs ?? 60_000))
    const userId = `u-${randomUUID().slice(0, 8)}`
    const contactId = randomUUID()
    await db.contact.create({
      data: {
        id: contactId,
        channel: 'web',
        channelUserId: userId,
        locale: 'es',
        country: 'BO',
        consentAt: new Date(sentAt.getTime() - 7_200_000),
        lastInboundAt: new Date(sentAt.getTime() - 3_600_000),
      },
    })
    const outboundId = randomUUID()
    await db.outboundMessage.create({
      data: {
        id: outboundId,
        contactId,
        channel: 'web',
        channelUserId: userId,
        payload: JSON.stringify({ kind: 'text', text: 'x' }),
        status: 'sent',
        origin: 'broadcast',
        originId: broadcastId,
        nextAttemptAt: sentAt,
        createdAt: sentAt,
        sentAt,
      },
    })
    await db.broadcastRecipient.create({
      data: { id: randomUUID(), broadcastId, contactId, outboundId, status: 'sent' },
    })
    return { userId, contactId, sentAt }
  }

  const answerOf = async (contactId: string) =>
    (
      await bot.database.db.broadcastRecipient.findFirstOrThrow({
        where: { broadcastId, contactId },
      })
    ).answer

  it('counts her first message naming an option, thanks her, and only once', async () => {
    const { userId, contactId } = await recipient()
    expect(await bot.say(userId, '1')).toEqual([thanks()])
    expect(await answerOf(contactId)).toBe('1')
    // the next "1" is ordinary conversation (here: the menu's first option), not a new answer
    const next = await bot.say(userId, '2')
    expect(next).not.toEqual([thanks()])
    expect(await answerOf(contactId)).toBe('1')
  })

  it("counts an option's text as well as its number", async () => {
    const { userId, contactId } = await recipient()
    expect(await bot.say(userId, 'No puedo ir.')).toEqual([thanks()])
    expect(await answerOf(contactId)).toBe('2')
  })

  it('does not take anything else as an answer, nor an option after she wrote something else', async () => {
    const { userId, contactId } = await recipient()
    const replies = await bot.say(userId, 'hola')
    expect(replies).not.toEqual([thanks()])
    expect(replies.length).toBeGreaterThan(0)
    expect(await bot.say(userId, '1')).not.toEqual([thanks()])
    expect(await answerOf(contactId)).toBeNull()
  })

  it('does not count an option once another message reached her after the broadcast', async () => {
    const { userId, contactId, sentAt } = await recipient()
    await bot.database.db.outboundMessage.create({
      data: {
        id: randomUUID(),
        contactId,
        channel: 'web',
        channelUserId: userId,
        payload: JSON.stringify({ kind: 'text', text: 'reminder' }),
        status: 'sent',
        origin: 'reminder',
        nextAttemptAt: sentAt,
        createdAt: sentAt,
        sentAt: new Date(sentAt.getTime() + 1000),
      },
    })
    expect(await bot.say(userId, '1')).not.toEqual([thanks()])
    expect(await answerOf(contactId)).toBeNull()
  })

  it('does not count an option after the window', async () => {
    const { userId, contactId } = await recipient({ sentAgoMs: FOLLOW_UP_WINDOW_MS + 60_000 })
    expect(await bot.say(userId, '1')).not.toEqual([thanks()])
    expect(await answerOf(contactId)).toBeNull()
  })
})
