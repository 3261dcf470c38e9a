import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { adminTestApp, createStaff, signIn } from '../admin-test-kit.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
type Session = Awaited<ReturnType<typeof signIn>>
const as: Record<'admin' | 'agent' | 'viewer', Session> = {} as never

async function contact(db: Db, regionId: string, consent = true) {
  const id = randomUUID()
  await db.contact.create({
    data: {
      id,
      channel: 'telegram',
      channelUserId: `u-${id}`,
      regionId,
      country: regionId.slice(0, 2),
      consentAt: consent ? new Date() : null,
      lastInboundAt: new Date(),
    },
  })
}

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
  await createStaff(kit.db, 'viewer@test.local', 'viewer', ['BO-LP'])
  for (let i = 0; i < 3; i++) await contact(kit.db, 'BO-LP')
  await contact(kit.db, 'BO-LP', false)
  await contact(kit.db, 'PA-8')
  as.admin = await signIn(kit.app, 'admin@test.local')
  as.agent = await signIn(kit.app, 'agent@test.local')
  as.viewer = await signIn(kit.app, 'viewer@test.local')
})
afterAll(() => kit.cleanup())

const compose = {
  title: 'Capacitación',
  text_es: 'Hay capacitación el lunes',
  text_en: 'Training on Monday',
  onlyWhoWrote: '1',
  when: 'now',
  timezone: 'America/La_Paz',
}

async function post(who: keyof typeof as, path: string, body: Record<string, unknown>) {
  return as[who].agent
    .post(path)
    .type('form')
    .send({ _csrf: await as[who].csrf(), ...body })
}

const idFrom = (location: string | undefined) => location!.split('/').at(-1)!

describe('broadcasts in the panel', () => {
  it('shows the exact recipient count before sending', async () => {
    const res = await post('admin', '/admin/broadcasts', {
      ...compose,
      regionIds: 'BO-LP',
      action: 'count',
    })
    expect(res.status).toBe(200)
    expect(res.text).toMatch(/data-test="count">[^<]*\b3\b/)
    expect(await kit.db.broadcast.count()).toBe(0)
  })

  it('viewers cannot compose or change broadcasts; forms need the CSRF token', async () => {
    expect((await as.viewer.agent.get('/admin/broadcasts')).status).toBe(200)
    expect((await as.viewer.agent.get('/admin/broadcasts/new')).status).toBe(403)
    expect((await as.agent.agent.get('/admin/broadcasts/new')).status).toBe(200)
    const res = await post('viewer', '/admin/broadcasts', { ...compose, regionIds: 'BO-LP' })
    expect(res.status).toBe(403)
    const noToken = await as.admin.agent
      .post('/admin/broadcasts')
      .type('form')
      .send({ ...compose, regionIds: 'BO-LP' })
    expect(noToken.status).toBe(403)
    expect(await kit.db.broadcast.count()).toBe(0)
  })

  it("an agent targets only her regions, and her broadcast waits for an admin's approval", async () => {
    const outside = await post('agent', '/admin/broadcasts', { ...compose, regionIds: 'PA-8' })
    expect(outside.status).toBe(400)
    const none = await post('agent', '/admin/broadcasts', compose)
    expect(none.status).toBe(400)
    const res = await post('agent', '/admin/broadcasts', { ...compose, regionIds: 'BO-LP' })
    expect(res.status).toBe(303)
    const id = idFrom(res.headers.location)
    let b = await kit.db.broadcast.findUniqueOrThrow({ where: { id } })
    expect(b.status).toBe('pending_approval')
    expect(b.approvedById).toBeNull()
    expect((await post('agent', `/admin/broadcasts/${id}/approve`, {})).status).toBe(403)
    expect((await post('admin', `/admin/broadcasts/${id}/approve`, {})).status).toBe(303)
    b = await kit.db.broadcast.findUniqueOrThrow({ where: { id } })
    expect(b.status).toBe('scheduled')
    expect(b.approvedById).not.toBeNull()
    const actions = (
      await kit.db.auditLog.findMany({ where: { entity: 'Broadcast', entityId: id } })
    ).map((a) => a.action)
    expect(actions.sort()).toEqual(['broadcast.approve', 'broadcast.create'])
  })

  it("an admin schedules in a time zone; agents never see another region's broadcast", async () => {
    const res = await post('admin', '/admin/broadcasts', {
      ...compose,
      regionIds: 'PA-8',
      when: 'schedule',
      date: '2099-03-02',
      time: '08:15',
      timezone: 'America/Panama',
    })
    expect(res.status).toBe(303)
    const id = idFrom(res.headers.location)
    const b = await kit.db.broadcast.findUniqueOrThrow({ where: { id } })
    expect(b.status).toBe('scheduled')
    expect(b.scheduledAt?.toISOString()).toBe('2099-03-02T13:15:00.000Z')
    expect((await as.admin.agent.get(`/admin/broadcasts/${id}`)).status).toBe(200)
    expect((await as.agent.agent.get(`/admin/broadcasts/${id}`)).status).toBe(404)
    expect((await post('agent', `/admin/broadcasts/${id}/cancel`, {})).status).toBe(404)
    expect((await as.agent.agent.get('/admin/broadcasts')).text).not.toContain(id)
    const past = await post('admin', '/admin/broadcasts', {
      ...compose,
      when: 'schedule',
      date: '2001-01-01',
      time: '08:00',
    })
    expect(past.status).toBe(400)
  })

  it('pause, resume and cancel from the detail page, audited', async () => {
    const res = await post('admin', '/admin/broadcasts', { ...compose, regionIds: 'BO-LP' })
    const id = idFrom(res.headers.location)
    await kit.db.broadcast.update({ where: { id }, data: { status: 'sending' } })
    const page = await as.agent.agent.get(`/admin/broadcasts/${id}`)
    expect(page.text).toContain(`/admin/broadcasts/${id}/pause`)
    expect((await post('viewer', `/admin/broadcasts/${id}/pause`, {})).status).toBe(403)
    expect((await post('agent', `/admin/broadcasts/${id}/pause`, {})).status).toBe(303)
    expect((await post('agent', `/admin/broadcasts/${id}/pause`, {})).status).toBe(409)
    expect((await post('agent', `/admin/broadcasts/${id}/resume`, {})).status).toBe(303)
    expect(kit.woken.length).toBeGreaterThan(0)
    expect((await post('admin', `/admin/broadcasts/${id}/cancel`, {})).status).toBe(303)
    const b = await kit.db.broadcast.findUniqueOrThrow({ where: { id } })
    expect(b.status).toBe('cancelled')
    const actions = await kit.db.auditLog.count({ where: { entity: 'Broadcast', entityId: id } })
    expect(actions).toBe(4)
    const list = await as.admin.agent.get('/admin/broadcasts')
    expect(list.text).toContain(`/admin/broadcasts/${id}`)
  })

  it('the detail page shows the counts, the progress bar and the time left', async () => {
    const res = await post('admin', '/admin/broadcasts', { ...compose, regionIds: 'BO-LP' })
    const id = idFrom(res.headers.location)
    await kit.db.broadcast.update({ where: { id }, data: { status: 'sending' } })
    const contacts = await kit.db.contact.findMany({
      where: { regionId: 'BO-LP', consentAt: { not: null } },
    })
    const sentAt = new Date(Date.now() - 60_000)
    for (const [i, c] of contacts.entries()) {
      const outboundId = randomUUID()
      await kit.db.outboundMessage.create({
        data: {
          id: outboundId,
          contactId: c.id,
          channel: c.channel,
          channelUserId: c.channelUserId,
          payload: '{}',
          status: i === 0 ? 'sent' : 'queued',
          sentAt: i === 0 ? sentAt : null,
          nextAttemptAt: sentAt,
          origin: 'broadcast',
          originId: id,
          priority: 20,
          createdAt: sentAt,
        },
      })
      await kit.db.broadcastRecipient.create({
        data: { id: randomUUID(), broadcastId: id, contactId: c.id, outboundId, status: 'queued' },
      })
    }
    const page = await as.admin.agent.get(`/admin/broadcasts/${id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-count="total">3<')
    expect(page.text).toContain('data-count="sent">1<')
    expect(page.text).toContain('data-count="queued">2<')
    expect(page.text).toMatch(/<progress max="3" value="1"/)
    expect(page.text).toContain('data-test="time-left"')
  })
})
