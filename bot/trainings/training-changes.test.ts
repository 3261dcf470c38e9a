import type { i18n as I18n } from 'i18next'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { cancelTraining, rescheduleReminders } from './training-changes.ts'
import type { TrainingFacts } from './training-reminders.ts'

// The bot's side of a training staff cancel or move: what she is told, which reminders stay,
// and that the trainings flow stops offering a cancelled training (issue 9).

const HOUR = 3_600_000
const bots: TestBot[] = []
let i18n: I18n
beforeAll(async () => {
  i18n = await createI18n()
})
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()))
})

/** The bot on the demo data, ana (Bolivia, Spanish) in the demo group DEMO-BO1. */
async function bot(provider: 'sqlite' | 'postgresql' = 'sqlite') {
  const b = await startTestBot({ start: false, provider })
  bots.push(b)
  await seedDemo(b.database.db, { now: b.clock.now(), log: b.logger })
  await b.database.db.contact.create({
    data: {
      id: 'ana',
      channel: 'web',
      channelUserId: 'ana',
      locale: 'es',
      country: 'BO',
      consentAt: b.clock.now(),
    },
  })
  await b.say('ana', 'UNIRME DEMO-BO1')
  await b.say('ana', 'sí')
  return b
}

/** Menu › Trainings › Upcoming: the list she is shown. */
async function upcoming(b: TestBot, who = 'ana') {
  await b.say(who, 'menu')
  await b.say(who, '5')
  return (await b.say(who, '1')).join('\n')
}

async function registerFirst(b: TestBot) {
  await upcoming(b)
  await b.say('ana', '1')
  return b.say('ana', 'sí')
}

const factsOf = async (b: TestBot, id: string): Promise<TrainingFacts> =>
  b.database.db.training.findUniqueOrThrow({ where: { id } })

describe('a training staff cancel or move, as the bot sees it', () => {
  it('a cancelled training is gone from her lists; she gets a notice and no reminder', async () => {
    const b = await bot()
    const { db } = b.database
    expect((await registerFirst(b)).join('\n')).toContain('Quedó inscrita')
    expect(
      await db.outboundMessage.count({ where: { origin: 'reminder', status: 'queued' } }),
    ).toBe(3)
    const training = await factsOf(b, 'demo-training-t1')
    const outcome = await db.$transaction((tx) => cancelTraining(tx, i18n, training, b.clock.now()))
    // ana and the demo's two registered women; only ana's reminders were queued (by the bot)
    expect(outcome).toEqual({ notified: 3, remindersCancelled: 3, remindersQueued: 0 })
    expect(
      await db.outboundMessage.count({ where: { origin: 'reminder', status: 'queued' } }),
    ).toBe(0)
    const notice = await db.outboundMessage.findFirstOrThrow({
      where: { origin: 'system', contactId: 'ana' },
    })
    expect(JSON.parse(notice.payload).text).toBe(
      'Aviso: la capacitación «[Demo] Gestión y administración de la cooperativa» del lunes, ' +
        '9 de marzo a las 10:00 (hora de Bolivia) fue cancelada. Cancelamos también sus ' +
        'recordatorios. Le avisaremos cuando haya nuevas capacitaciones; para verlas, escriba ' +
        'MENU y elija «Capacitaciones».',
    )
    expect(await upcoming(b)).not.toContain('Gestión y administración')
    await b.say('ana', 'menu')
    await b.say('ana', '5')
    expect((await b.say('ana', '2')).join('\n')).toContain('Todavía no está inscrita')
    // a second cancel changes nothing
    expect(
      await db.$transaction((tx) => cancelTraining(tx, i18n, training, b.clock.now())),
    ).toBeNull()
  })

  it('saying yes to a training cancelled or filled while she read it gets a clear answer', async () => {
    const b = await bot()
    const { db } = b.database
    await upcoming(b)
    expect((await b.say('ana', '1')).join('\n')).toContain('¿Quiere inscribirse?')
    await db.training.update({ where: { id: 'demo-training-t1' }, data: { status: 'cancelled' } })
    expect(await b.say('ana', 'sí')).toContain('Esta capacitación ya pasó o fue cancelada.')
    expect(await db.trainingRegistration.count({ where: { contactId: 'ana' } })).toBe(0)
    expect(
      await db.outboundMessage.count({ where: { contactId: 'ana', origin: 'reminder' } }),
    ).toBe(0)

    await db.training.update({ where: { id: 'demo-training-t1' }, data: { status: 'scheduled' } })
    await upcoming(b)
    await b.say('ana', '1')
    const taken = await db.trainingRegistration.count({ where: { trainingId: 'demo-training-t1' } })
    await db.training.update({ where: { id: 'demo-training-t1' }, data: { capacity: taken } })
    expect(await b.say('ana', 'sí')).toContain(
      'Lo sentimos, ya no quedan cupos en esta capacitación.',
    )
    expect(await db.trainingRegistration.count({ where: { contactId: 'ana' } })).toBe(0)
    // and a full one, chosen from the list, says so before asking
    await upcoming(b)
    expect((await b.say('ana', '1')).join('\n')).toContain('ya no quedan cupos')
  })

  it('moving rewrites her reminders at the new UTC times and skips those already past (fixed clock)', async () => {
    const b = await bot()
    const { db } = b.database
    await registerFirst(b)
    const before = await factsOf(b, 'demo-training-t1')
    const old = await db.outboundMessage.findMany({
      where: { origin: 'reminder', contactId: 'ana' },
    })
    // now 2026-03-02T18:00Z; La Paz is UTC-4: 10:30 on 3 March is 14:30Z, 20.5 h from now
    const startsAt = new Date('2026-03-03T14:30:00Z')
    const after = { ...before, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR) }
    await db.training.update({ where: { id: before.id }, data: { startsAt, endsAt: after.endsAt } })
    const outcome = await db.$transaction((tx) =>
      rescheduleReminders(tx, i18n, before, after, b.clock.now()),
    )
    // ana and the demo's two registered women, two messages each (see below)
    expect(outcome).toEqual({ notified: 3, remindersCancelled: 3, remindersQueued: 6 })
    const rows = await db.outboundMessage.findMany({
      where: { origin: 'reminder', contactId: 'ana' },
      orderBy: { nextAttemptAt: 'asc' },
    })
    expect(rows.filter((r) => old.some((o) => o.id === r.id)).map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ])
    const fresh = rows.filter((r) => r.status === 'queued')
    // the 24 h reminder would be in the past: only the 1 h one and the rating invitation
    expect(fresh.map((r) => r.nextAttemptAt.toISOString())).toEqual([
      '2026-03-03T13:30:00.000Z',
      '2026-03-03T18:30:00.000Z',
    ])
    expect(fresh.every((r) => r.priority === 10 && r.originId === before.id)).toBe(true)
    expect(JSON.parse(fresh[0]!.payload).text).toBe(
      'Recordatorio: en una hora empieza la capacitación «[Demo] Gestión y administración de la ' +
        'cooperativa», a las 10:30. Enlace: https://example.org/demo-capacitacion',
    )
    const notice = await db.outboundMessage.findFirstOrThrow({
      where: { origin: 'system', contactId: 'ana' },
    })
    expect(JSON.parse(notice.payload).text).toContain(
      'Antes: lunes, 9 de marzo a las 10:00. Ahora: martes, 3 de marzo a las 10:30 (hora de Bolivia).',
    )
    // a title corrected after the training: no reminder, and no late rating invitation, again
    const retitled = { ...after, title: 'Gestión de la cooperativa' }
    const late = new Date(after.endsAt.getTime() + 3 * HOUR)
    const again = await db.$transaction((tx) =>
      rescheduleReminders(tx, i18n, after, retitled, late),
    )
    expect(again).toMatchObject({ notified: 0, remindersQueued: 0 })
  })

  it('in Panama (UTC-5) and in English', async () => {
    const b = await bot()
    const { db } = b.database
    await db.contact.create({
      data: {
        id: 'joy',
        channel: 'web',
        channelUserId: 'joy',
        locale: 'en',
        country: 'PA',
        consentAt: b.clock.now(),
      },
    })
    await b.say('joy', 'JOIN DEMO-PA1')
    await b.say('joy', 'yes')
    await upcoming(b, 'joy')
    await b.say('joy', '1')
    expect((await b.say('joy', 'yes')).join('\n')).toContain('registered')
    const reg = await db.trainingRegistration.findFirstOrThrow({ where: { contactId: 'joy' } })
    const before = await factsOf(b, reg.trainingId)
    // 09:00 in Panama on 20 March is 14:00Z
    const startsAt = new Date('2026-03-20T14:00:00Z')
    const after = { ...before, startsAt, endsAt: new Date(startsAt.getTime() + HOUR) }
    await db.$transaction((tx) => rescheduleReminders(tx, i18n, before, after, b.clock.now()))
    const fresh = await db.outboundMessage.findMany({
      where: { origin: 'reminder', contactId: 'joy', status: 'queued' },
      orderBy: { nextAttemptAt: 'asc' },
    })
    expect(fresh.map((r) => r.nextAttemptAt.toISOString())).toEqual([
      '2026-03-19T14:00:00.000Z',
      '2026-03-20T13:00:00.000Z',
      '2026-03-20T17:00:00.000Z',
    ])
    expect(JSON.parse(fresh[0]!.payload).text).toMatch(
      /^Reminder: tomorrow you have the training .*Friday 20 March at 09:00 \(Panama time\)/,
    )
    const notice = await db.outboundMessage.findFirstOrThrow({
      where: { origin: 'system', contactId: 'joy' },
    })
    expect(JSON.parse(notice.payload).text).toContain('Now: Friday 20 March at 09:00 (Panama time)')
  })

  it('works the same on PostgreSQL', async () => {
    const b = await bot('postgresql')
    const { db } = b.database
    await registerFirst(b)
    const before = await factsOf(b, 'demo-training-t1')
    const startsAt = new Date('2026-03-10T14:00:00Z')
    const after = { ...before, startsAt, endsAt: new Date(startsAt.getTime() + HOUR) }
    await db.training.update({ where: { id: before.id }, data: { startsAt, endsAt: after.endsAt } })
    expect(
      await db.$transaction((tx) => rescheduleReminders(tx, i18n, before, after, b.clock.now())),
    ).toEqual({ notified: 3, remindersCancelled: 3, remindersQueued: 9 })
    expect(await db.$transaction((tx) => cancelTraining(tx, i18n, after, b.clock.now()))).toEqual({
      notified: 3,
      remindersCancelled: 9,
      remindersQueued: 0,
    })
    expect(await db.outboundMessage.count({ where: { origin: 'system' } })).toBe(6)
    expect(
      await db.outboundMessage.count({ where: { origin: 'reminder', status: 'queued' } }),
    ).toBe(0)
  })
})
