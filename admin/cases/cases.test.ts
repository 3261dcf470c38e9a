import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { adminTestApp, createCase, createStaff, signIn } from '../admin-test-kit.ts'

const XSS = '<img src=x onerror=alert(1)>'
let kit: Awaited<ReturnType<typeof adminTestApp>>
let own: number
let other: number
let noRegion: number
type Session = Awaited<ReturnType<typeof signIn>>
const as: Record<'admin' | 'agent' | 'viewer', Session> = {} as never

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
  await createStaff(kit.db, 'viewer@test.local', 'viewer', ['BO-LP'])
  own = await createCase(kit.db, { regionId: 'BO-LP', name: XSS, text: `hola ${XSS}` })
  other = await createCase(kit.db, { regionId: 'PA-8', name: 'Otra' })
  noRegion = await createCase(kit.db, { regionId: null, name: 'Sin' })
  as.admin = await signIn(kit.app, 'admin@test.local')
  as.agent = await signIn(kit.app, 'agent@test.local')
  as.viewer = await signIn(kit.app, 'viewer@test.local')
})
afterAll(() => kit.cleanup())

describe('authorization matrix', () => {
  it('keeps channel pairing (who pairs takes over the number) behind the sign-in', async () => {
    const res = await request(kit.app).get('/admin/channels/whatsapp')
    expect(res.status).toBe(303)
    expect(res.body.qrDataUrl).toBeUndefined()
  })

  const pages: [string, Record<keyof typeof as, number>][] = [
    ['/admin/cases', { admin: 200, agent: 200, viewer: 200 }],
    ['/admin/simulator', { admin: 200, agent: 200, viewer: 200 }],
    ['/admin/audit', { admin: 200, agent: 403, viewer: 403 }],
    ['/admin/staff', { admin: 200, agent: 403, viewer: 403 }],
    ['/admin/settings', { admin: 200, agent: 403, viewer: 403 }],
    ['/admin/canned', { admin: 200, agent: 403, viewer: 403 }],
    ['/admin/channels/whatsapp', { admin: 200, agent: 403, viewer: 403 }],
  ]
  it.each(pages)('GET %s', async (path, expected) => {
    for (const role of ['admin', 'agent', 'viewer'] as const) {
      expect([role, (await as[role].agent.get(path)).status]).toEqual([role, expected[role]])
    }
  })

  it('case pages: own region 200, another region or no region 404 (never the data)', async () => {
    const expected = {
      admin: { own: 200, other: 200, noRegion: 200 },
      agent: { own: 200, other: 404, noRegion: 404 },
      viewer: { own: 200, other: 404, noRegion: 404 },
    }
    for (const role of ['admin', 'agent', 'viewer'] as const) {
      for (const [which, id] of Object.entries({ own, other, noRegion })) {
        for (const suffix of ['', '/poll.json']) {
          const res = await as[role].agent.get(`/admin/cases/${id}${suffix}`)
          expect([role, which, suffix, res.status]).toEqual([
            role,
            which,
            suffix,
            expected[role][which as 'own'],
          ])
          if (res.status === 404) expect(res.text).not.toContain('Otra')
        }
      }
    }
    const list = await as.agent.agent.get('/admin/cases?status=all')
    expect(list.text).toContain(`/admin/cases/${own}`)
    expect(list.text).not.toContain(`/admin/cases/${other}"`)
  })

  it('state changes: viewer 403, agent 404 on another region, CSRF required', async () => {
    for (const action of ['reply', 'note', 'status', 'assign', 'priority']) {
      const body = { text: 'x', status: 'resolved', assigneeId: '', priority: 'high' }
      const viewer = await as.viewer.agent
        .post(`/admin/cases/${own}/${action}`)
        .type('form')
        .send({ _csrf: await as.viewer.csrf(), ...body })
      expect([action, viewer.status]).toEqual([action, 403])
      const agentOther = await as.agent.agent
        .post(`/admin/cases/${other}/${action}`)
        .type('form')
        .send({ _csrf: await as.agent.csrf(), ...body })
      expect([action, agentOther.status]).toEqual([action, 404])
      const noToken = await as.admin.agent
        .post(`/admin/cases/${own}/${action}`)
        .type('form')
        .send(body)
      expect([action, noToken.status]).toEqual([action, 403])
    }
  })
})

describe('the case page', () => {
  it('shows what she wrote as text, never as HTML', async () => {
    const res = await as.agent.agent.get(`/admin/cases/${own}`)
    expect(res.text).not.toContain(XSS)
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    const list = await as.agent.agent.get('/admin/cases')
    expect(list.text).not.toContain(XSS)
  })

  it('a reply writes the outbox and the case, wakes the dispatcher and is audited', async () => {
    const { agent, csrf } = as.agent
    const res = await agent
      .post(`/admin/cases/${own}/reply`)
      .type('form')
      .send({ _csrf: await csrf(), text: 'Hola {{name}}, la llamamos mañana' })
    expect(res.status).toBe(303)
    const out = await kit.db.outboundMessage.findFirstOrThrow({
      where: { origin: 'case', originId: String(own) },
    })
    expect(out).toMatchObject({ status: 'queued', priority: 5, channel: 'web' })
    expect(JSON.parse(out.payload)).toEqual({
      kind: 'text',
      text: `Hola ${XSS}, la llamamos mañana`,
    })
    const c = await kit.db.case.findUniqueOrThrow({ where: { id: own } })
    expect(c.firstResponseAt).not.toBeNull()
    expect(c.status).toBe('pending')
    expect(
      await kit.db.caseMessage.count({ where: { caseId: own, kind: 'reply', outboundId: out.id } }),
    ).toBe(1)
    expect(kit.woken.length).toBeGreaterThan(0)
    const page = await agent.get(`/admin/cases/${own}`)
    expect(page.text).toContain('En cola')
    await kit.db.outboundMessage.update({ where: { id: out.id }, data: { status: 'sent' } })
    expect((await agent.get(`/admin/cases/${own}`)).text).toContain('Enviado')
    expect(
      await kit.db.auditLog.count({ where: { action: 'case.reply', entityId: String(own) } }),
    ).toBe(1)
  })

  it('notes, status and assignment are saved and audited with before/after', async () => {
    const { agent, csrf } = as.agent
    await agent
      .post(`/admin/cases/${own}/note`)
      .type('form')
      .send({ _csrf: await csrf(), text: 'solo interno' })
    await agent
      .post(`/admin/cases/${own}/assign`)
      .type('form')
      .send({ _csrf: await csrf(), assigneeId: 'me' })
    await agent
      .post(`/admin/cases/${own}/status`)
      .type('form')
      .send({ _csrf: await csrf(), status: 'resolved' })
    const c = await kit.db.case.findUniqueOrThrow({ where: { id: own } })
    expect(c.status).toBe('resolved')
    expect(c.resolvedAt).not.toBeNull()
    const status = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'case.status' } })
    expect(JSON.parse(status.before!)).toEqual({ status: 'pending' })
    expect(JSON.parse(status.after!)).toEqual({ status: 'resolved' })
    expect(await kit.db.auditLog.count({ where: { action: 'case.assign' } })).toBe(1)
    expect(
      await kit.db.outboundMessage.count({ where: { payload: { contains: 'solo interno' } } }),
    ).toBe(0)
  })

  it('serves an attachment only to staff who can see the case', async () => {
    const c = await kit.db.case.findUniqueOrThrow({ where: { id: own } })
    const id = randomUUID()
    await kit.db.attachment.create({
      data: {
        id,
        caseId: own,
        contactId: c.contactId,
        kind: 'image',
        mime: 'image/jpeg',
        size: 10,
        storageKey: 'x/y.jpg',
      },
    })
    const ok = await as.agent.agent.get(`/admin/cases/${own}/attachments/${id}`)
    expect(ok.status).toBe(200)
    expect(ok.headers['content-type']).toBe('image/jpeg')
    expect((await as.agent.agent.get(`/admin/cases/${other}/attachments/${id}`)).status).toBe(404)
    expect((await as.admin.agent.get(`/admin/cases/${other}/attachments/${id}`)).status).toBe(404)
  })

  it('filters the inbox and counts the tabs', async () => {
    const res = await as.admin.agent.get('/admin/cases?status=open&region=PA-8')
    expect(res.status).toBe(200)
    expect(res.text).toContain(`/admin/cases/${other}"`)
    expect(res.text).not.toContain(`/admin/cases/${noRegion}"`)
    const overdue = await as.admin.agent.get('/admin/cases?overdue=1')
    expect(overdue.text).toContain(`/admin/cases/${noRegion}"`)
    const poll = await as.admin.agent.get('/admin/cases/poll.json')
    expect(poll.body.signature).toEqual(expect.any(String))
  })
})

describe('staff management', () => {
  it('creates an account with a one-time password and audits it', async () => {
    const { agent, csrf } = as.admin
    const res = await agent
      .post('/admin/staff')
      .type('form')
      .send({
        _csrf: await csrf(),
        email: 'New@Test.local',
        name: 'Nueva',
        role: 'agent',
        regions: 'BO-LP',
      })
    expect(res.status).toBe(200)
    expect(res.text).toContain('new@test.local')
    const row = await kit.db.staff.findUniqueOrThrow({
      where: { email: 'new@test.local' },
      include: { regions: true },
    })
    expect(row.mustChangePassword).toBe(true)
    expect(row.regions.map((r) => r.regionId)).toEqual(['BO-LP'])
    expect(await kit.db.auditLog.count({ where: { action: 'staff.create' } })).toBe(1)
  })
})
