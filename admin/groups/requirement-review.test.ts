import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpApp } from '../../app/http/server.ts'
import { createI18n } from '../../app/i18n.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { adminRouter } from '../admin-router.ts'
import { signIn } from '../admin-test-kit.ts'
import { addMember, createGroupRow } from './group-test-kit.ts'

// The bot and the panel on one database: staff reject a requirement's evidence, she is told
// why in the chat, opens the item and sends a new photo: no dead end (issue 9).
let bot: TestBot
let staff: Awaited<ReturnType<typeof signIn>>
let groupId: string
const USER = 'maria-review'

beforeAll(async () => {
  bot = await startTestBot({ start: false })
  const db = bot.database.db
  const app = createHttpApp(
    [
      adminRouter({
        db,
        i18n: await createI18n(),
        logger: bot.logger,
        wakeDispatcher: () => undefined,
        channelHealth: () => ({}),
        attachments: { read: async () => Buffer.from('jpeg') },
        sessionIdleMinutes: 60,
        now: bot.clock.now,
      }),
    ],
    bot.logger,
  )
  groupId = await createGroupRow(db, { name: 'Productoras de Oruro', regionId: 'BO-OR' })
  const contactId = await addMember(db, groupId, {
    name: 'María',
    locale: 'es',
    role: 'presidenta',
    channelUserId: USER,
  })
  // "Reservar el nombre" (BO-21, confirmed content): she sent a photo of it
  const row = await db.groupRequirement.update({
    where: { groupId_requirementId: { groupId, requirementId: 'BO-21' } },
    data: { status: 'submitted', submittedAt: bot.clock.now() },
  })
  await db.attachment.create({
    data: {
      id: randomUUID(),
      contactId,
      groupRequirementId: row.id,
      kind: 'image',
      mime: 'image/jpeg',
      size: 4,
      storageKey: 'old/photo.jpg',
    },
  })
  staff = await signIn(app, 'admin@test.local')
})
afterAll(() => bot?.close())

const review = async (body: Record<string, string>) =>
  staff.agent
    .post(`/admin/groups/${groupId}/requirements/BO-21/review`)
    .type('form')
    .send({ _csrf: await staff.csrf(), ...body })

describe('a rejected requirement in the chat', () => {
  it('is told to her with the reason, and she can send it again', async () => {
    expect((await review({ decision: 'reject', reason: 'La foto está borrosa' })).status).toBe(303)
    const notice = await bot.database.db.outboundMessage.findFirstOrThrow({
      where: { origin: 'group', originId: groupId },
    })
    expect(JSON.parse(notice.payload).text).toContain('Motivo: La foto está borrosa')

    await bot.say(USER, 'menu')
    expect((await bot.say(USER, '4')).join('\n')).toContain('0 de 15 confirmados')
    const steps = (await bot.say(USER, '1')).join('\n')
    expect(steps).toContain('2. ❌ Reservar el nombre')
    const detail = (await bot.say(USER, '2')).join('\n')
    expect(detail).toContain('no lo aceptó. Motivo: La foto está borrosa. Puede enviarlo de nuevo')
    expect(detail).toContain('1. Ya está hecho: enviar una foto o un documento')
    expect((await bot.say(USER, '1')).join('\n')).toContain('Envíe ahora una foto')
    const saved = await bot.say(USER, '', {
      media: { kind: 'image', ref: 'new/photo.jpg', mime: 'image/jpeg', size: 2048 },
    })
    expect(saved.join('\n')).toContain('recibimos su archivo')

    const row = await bot.database.db.groupRequirement.findUniqueOrThrow({
      where: { groupId_requirementId: { groupId, requirementId: 'BO-21' } },
      include: { evidence: { orderBy: { storageKey: 'asc' } } },
    })
    expect(row.status).toBe('submitted')
    expect(row.evidence.map((e) => e.storageKey)).toEqual(['new/photo.jpg', 'old/photo.jpg'])
    // the panel shows the new file to review, and staff can now confirm it
    const page = (await staff.agent.get(`/admin/groups/${groupId}`)).text
    expect(page).toContain(`/admin/groups/${groupId}/evidence/${row.evidence[0]!.id}`)
    expect((await review({ decision: 'confirm' })).status).toBe(303)
    await bot.say(USER, 'menu')
    expect((await bot.say(USER, '4')).join('\n')).toContain('1 de 15 confirmados')
  })
})
