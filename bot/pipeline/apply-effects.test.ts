import { afterEach, describe, expect, it } from 'vitest'
import type { Effect } from '../../flows/engine.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { applyEffects } from './apply-effects.ts'

const bots: TestBot[] = []
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()))
})

/** A bot with the demo data and one consented contact `ana` in Bolivia. */
async function bot(country = 'BO') {
  const b = await startTestBot({ start: false })
  bots.push(b)
  await seedDemo(b.database.db, { now: b.clock.now(), log: b.logger })
  await b.database.db.contact.create({
    data: {
      id: 'ana',
      channel: 'web',
      channelUserId: 'ana',
      locale: 'es',
      country,
      consentAt: b.clock.now(),
    },
  })
  return b
}

async function apply(b: TestBot, effects: Effect[]) {
  return b.database.db.$transaction((tx) =>
    applyEffects(effects, {
      tx,
      contactId: 'ana',
      channel: 'web',
      channelUserId: 'ana',
      now: b.clock.now(),
      inboundId: 'in-1',
      renderScheduled: (o) => ({ kind: 'text', text: o.kind === 'text' ? o.key : '' }),
    }),
  )
}

describe('group effects', () => {
  it('createGroup registers the group at phase 1 with her, the checklist and a code', async () => {
    const b = await bot()
    const { db } = b.database
    const { results } = await apply(b, [
      {
        kind: 'createGroup',
        name: ' Flores del Altiplano ',
        regionId: 'BO-LP',
        municipality: 'Achacachi',
        rubroId: 'agricultura',
        memberCount: '14',
        role: 'tesorera',
        as: 'code',
      },
    ])
    const code = results.code as string
    expect(code).toMatch(/^[A-HJ-KM-NP-Z2-9]{6}$/)
    expect(code).toMatch(/\d/)
    const group = await db.group.findUniqueOrThrow({
      where: { inviteCode: code },
      include: { members: true, phases: true, requirements: true },
    })
    expect(group).toMatchObject({
      name: 'Flores del Altiplano',
      country: 'BO',
      regionId: 'BO-LP',
      memberCount: 14,
      programmeId: 'BO-ATC',
      currentPhaseId: 'BO-ATC-1',
    })
    expect(group.members).toMatchObject([{ contactId: 'ana', role: 'tesorera' }])
    expect(group.phases.map((p) => p.phaseId)).toEqual(['BO-ATC-1'])
    expect(group.requirements).toHaveLength(
      await db.requirement.count({ where: { country: 'BO' } }),
    )
    expect(group.requirements.every((r) => r.status === 'pending')).toBe(true)
    // a second registration gives her group's code back instead of a second group
    const again = await apply(b, [{ kind: 'createGroup', name: 'Otro', role: 'miembro', as: 'c' }])
    expect(again.results.c).toBe(code)
  })

  it('Panama groups join the Eje Cambiando Vidas; a region of another country is ignored', async () => {
    const b = await bot('PA')
    const { results } = await apply(b, [
      { kind: 'createGroup', name: 'Jaboneras', regionId: 'BO-LP', role: 'miembro', as: 'code' },
    ])
    const group = await b.database.db.group.findUniqueOrThrow({
      where: { inviteCode: results.code as string },
    })
    expect(group).toMatchObject({
      programmeId: 'PA-ECV',
      currentPhaseId: 'PA-ECV-1',
      regionId: null,
    })
  })

  it('joinGroup, setGroupField and setMemberRole change her group and role', async () => {
    const b = await bot()
    const { db } = b.database
    await apply(b, [
      { kind: 'joinGroup', groupId: 'demo-group-bo2' },
      { kind: 'setGroupField', field: 'name', value: 'Tejedoras Unidas' },
      { kind: 'setGroupField', field: 'memberCount', value: '9' },
      { kind: 'setGroupField', field: 'regionId', value: 'BO-OR' },
      { kind: 'setGroupField', field: 'regionId', value: 'PA-1' }, // not Bolivia: ignored
      { kind: 'setGroupField', field: 'rubroId', value: 'nope' }, // unknown: ignored
      { kind: 'setMemberRole', role: 'secretaria' },
    ])
    const group = await db.group.findUniqueOrThrow({ where: { id: 'demo-group-bo2' } })
    expect(group).toMatchObject({
      name: 'Tejedoras Unidas',
      memberCount: 9,
      regionId: 'BO-OR',
      rubroId: 'artesania',
    })
    expect(
      await db.groupMember.findFirst({ where: { contactId: 'ana', groupId: group.id } }),
    ).toMatchObject({ role: 'secretaria' })
  })
})

describe('training effects', () => {
  it('schedules reminders with the training as origin; cancelling cancels them', async () => {
    const b = await bot()
    const { db } = b.database
    const output = { kind: 'text' as const, key: 'trainings.reminder_day' }
    await apply(b, [
      { kind: 'registerTraining', trainingId: 'demo-training-t1' },
      { kind: 'schedule', at: '2026-03-08T14:00:00.000Z', output, originId: 'demo-training-t1' },
      { kind: 'schedule', at: '2026-03-09T13:00:00.000Z', output, originId: 'demo-training-t1' },
    ])
    const rows = await db.outboundMessage.findMany({ where: { contactId: 'ana' } })
    expect(rows.map((r) => [r.origin, r.originId, r.priority, r.status])).toEqual([
      ['reminder', 'demo-training-t1', 10, 'queued'],
      ['reminder', 'demo-training-t1', 10, 'queued'],
    ])
    await apply(b, [
      { kind: 'rateTraining', trainingId: 'demo-training-t1', score: '4' },
      { kind: 'cancelRegistration', trainingId: 'demo-training-t1' },
    ])
    const after = await db.outboundMessage.findMany({ where: { contactId: 'ana' } })
    expect(after.every((r) => r.status === 'cancelled')).toBe(true)
    expect(await db.trainingRegistration.findFirst({ where: { contactId: 'ana' } })).toMatchObject({
      status: 'cancelled',
      satisfaction: 4,
    })
  })
})

describe('case effects', () => {
  it('appendToCase with a case number goes to that case of hers and reopens it', async () => {
    const b = await bot()
    const { db } = b.database
    const { results } = await apply(b, [{ kind: 'createCase', topic: 'legal', as: 'n' }])
    expect(results.n).toMatch(/^C-\d+$/)
    const id = Number(String(results.n).slice(2))
    await db.case.update({ where: { id }, data: { status: 'resolved' } })
    await apply(b, [{ kind: 'appendToCase', caseId: String(id), text: 'Una duda más' }])
    expect(await db.case.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'open' })
    expect(await db.caseMessage.count({ where: { caseId: id, text: 'Una duda más' } })).toBe(1)
    // someone else's case number: nothing happens
    const other = await db.case.findFirstOrThrow({ where: { contactId: { not: 'ana' } } })
    await apply(b, [{ kind: 'appendToCase', caseId: String(other.id), text: 'no' }])
    expect(await db.caseMessage.count({ where: { caseId: other.id, text: 'no' } })).toBe(0)
  })
})

describe('the journeys end to end', () => {
  it('a photo sent for a requirement becomes an Attachment linked to its GroupRequirement', async () => {
    const b = await bot()
    const { db } = b.database
    await b.say('ana', 'UNIRME DEMO-BO1')
    await b.say('ana', 'sí')
    await b.say('ana', 'menu')
    await b.say('ana', '4') // requirements
    await b.say('ana', '1') // steps
    await b.say('ana', '3') // Formar el comité organizador (pending)
    expect(await b.say('ana', '1')).toEqual([
      'Envíe ahora una foto o un documento que lo muestre, por ejemplo una foto del acta firmada.',
    ])
    const photo = { kind: 'image' as const, ref: 'files/acta.jpg', mime: 'image/jpeg', size: 2048 }
    const out = await b.say('ana', '', { media: photo })
    expect(out[0]).toContain('recibimos su archivo')
    const row = await db.groupRequirement.findUniqueOrThrow({
      where: { groupId_requirementId: { groupId: 'demo-group-bo1', requirementId: 'BO-22' } },
      include: { evidence: true },
    })
    expect(row.status).toBe('submitted')
    expect(row.evidence).toMatchObject([
      { storageKey: 'files/acta.jpg', kind: 'image', contactId: 'ana', caseId: null },
    ])
  })

  it('registering for a training queues reminders 24 h and 1 h before, and the rating after', async () => {
    const b = await bot()
    const { db } = b.database
    await b.say('ana', 'UNIRME DEMO-BO1')
    await b.say('ana', 'sí')
    await b.say('ana', 'menu')
    await b.say('ana', '5')
    await b.say('ana', '1')
    await b.say('ana', '1')
    await b.say('ana', 'sí')
    const training = await db.training.findUniqueOrThrow({ where: { id: 'demo-training-t1' } })
    const rows = await db.outboundMessage.findMany({
      where: { contactId: 'ana', origin: 'reminder' },
      orderBy: { nextAttemptAt: 'asc' },
    })
    expect(rows.map((r) => r.nextAttemptAt.getTime())).toEqual([
      training.startsAt.getTime() - 24 * 3_600_000,
      training.startsAt.getTime() - 3_600_000,
      training.endsAt.getTime() + 2 * 3_600_000,
    ])
    expect(rows.every((r) => r.originId === training.id && r.status === 'queued')).toBe(true)
    expect(JSON.parse(rows[0]!.payload).text).toBe(
      'Recordatorio: mañana tiene la capacitación «[Demo] Gestión y administración de la ' +
        'cooperativa», lunes, 9 de marzo a las 10:00 (hora de Bolivia). Enlace: ' +
        'https://example.org/demo-capacitacion',
    )
    await b.say('ana', 'menu')
    await b.say('ana', '5')
    await b.say('ana', '2') // mis capacitaciones
    await b.say('ana', '1')
    await b.say('ana', 'sí') // cancel
    const after = await db.outboundMessage.findMany({
      where: { contactId: 'ana', origin: 'reminder' },
    })
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    expect(await db.trainingRegistration.findFirst({ where: { contactId: 'ana' } })).toMatchObject({
      status: 'cancelled',
    })
  })

  it('after the training she rates it from "mis capacitaciones"', async () => {
    const b = await bot()
    const { db } = b.database
    await b.say('ana', 'UNIRME DEMO-BO1')
    await b.say('ana', 'sí')
    await db.trainingRegistration.create({
      data: { id: 'r1', trainingId: 'demo-training-t1', contactId: 'ana', status: 'registered' },
    })
    b.clock.advance(8 * 24 * 3_600_000) // the training is over
    await b.say('ana', 'menu')
    await b.say('ana', '5')
    await b.say('ana', '2')
    expect((await b.say('ana', '1')).at(-1)).toContain('del 1 (nada útil) al 5')
    expect(await b.say('ana', '9')).toEqual(['Escriba un número del 1 al 5, por favor.'])
    await b.say('ana', '4')
    expect(await db.trainingRegistration.findUnique({ where: { id: 'r1' } })).toMatchObject({
      satisfaction: 4,
    })
  })

  it('a voice note describes a legal question; after HUMANO free text lands in the case', async () => {
    const b = await bot()
    const { db } = b.database
    await b.say('ana', 'menu')
    await b.say('ana', '6')
    await b.say('ana', 'estatutos')
    const voice = { kind: 'audio' as const, ref: 'files/nota.ogg', mime: 'audio/ogg', size: 900 }
    const created = await b.say('ana', '', { media: voice })
    expect(created[0]).toMatch(/Su número de caso es C-\d+\./)
    const legal = await db.case.findFirstOrThrow({
      where: { contactId: 'ana' },
      include: { messages: true, attachments: true },
    })
    expect(legal).toMatchObject({ topic: 'legal', subtopic: 'statutes', status: 'open' })
    expect(legal.messages).toMatchObject([{ kind: 'inbound', mediaRef: 'files/nota.ogg' }])
    expect(legal.attachments).toMatchObject([{ storageKey: 'files/nota.ogg', kind: 'audio' }])

    await db.case.update({ where: { id: legal.id }, data: { status: 'closed' } })
    const paused = await b.say('ana', 'HUMANO')
    expect(paused[0]).toContain('en pausa para este caso')
    const human = await db.case.findFirstOrThrow({ where: { contactId: 'ana', topic: 'human' } })
    expect(await b.say('ana', 'Necesitamos ayuda con el acta')).toEqual([
      'Agregamos su mensaje a su consulta. El equipo le responderá por aquí. Si quiere ver las opciones, escriba MENU.',
    ])
    expect(
      await db.caseMessage.findMany({ where: { caseId: human.id }, select: { text: true } }),
    ).toEqual([{ text: 'Necesitamos ayuda con el acta' }])
    expect((await b.say('ana', 'MENU'))[0]).toContain('¿En qué le puedo ayudar?')
    // staff close the case: her words are no longer sent to it
    await db.case.update({ where: { id: human.id }, data: { status: 'closed' } })
    await b.say('ana', '9')
    expect(await db.caseMessage.count({ where: { caseId: human.id } })).toBe(1)
  })
})
