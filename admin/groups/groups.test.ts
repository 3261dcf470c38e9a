import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { adminTestApp, createCase, createStaff, signIn } from '../admin-test-kit.ts'
import { addMember, createGroupRow } from './group-test-kit.ts'

const XSS = '<img src=x onerror=alert(1)>'
let kit: Awaited<ReturnType<typeof adminTestApp>>
type Session = Awaited<ReturnType<typeof signIn>>
const roles = ['admin', 'agent', 'viewer', 'agentB'] as const
type Who = (typeof roles)[number]
const as = {} as Record<Who, Session>
/** Groups: in La Paz (the agent's and viewer's region), in Panamá (agent B's), with no region. */
let own: string
let other: string
let noRegion: string
let ana: string
let mary: string
let optedOut: string
let noConsent: string

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
  await createStaff(kit.db, 'viewer@test.local', 'viewer', ['BO-LP'])
  await createStaff(kit.db, 'agentb@test.local', 'agent', ['PA-8'])
  own = await createGroupRow(kit.db, {
    name: `Tejedoras ${XSS}`,
    regionId: 'BO-LP',
    municipality: 'El Alto',
    rubroId: 'artesania',
  })
  other = await createGroupRow(kit.db, { name: 'Artesanas de Chepo', regionId: 'PA-8' })
  noRegion = await createGroupRow(kit.db, { name: 'Sin región', regionId: null, country: 'BO' })
  ana = await addMember(kit.db, own, {
    name: 'Ana',
    locale: 'es',
    role: 'presidenta',
    phone: '+59170000001',
  })
  mary = await addMember(kit.db, own, { name: 'Mary', locale: 'en', phone: '+59170000002' })
  optedOut = await addMember(kit.db, own, { name: 'Baja', locale: 'es', optedOut: true })
  noConsent = await addMember(kit.db, own, { name: 'Nueva', consent: false })
  as.admin = await signIn(kit.app, 'admin@test.local')
  as.agent = await signIn(kit.app, 'agent@test.local')
  as.viewer = await signIn(kit.app, 'viewer@test.local')
  as.agentB = await signIn(kit.app, 'agentb@test.local')
})
afterAll(() => kit.cleanup())

const post = async (who: Who, path: string, body: Record<string, string> = {}) =>
  as[who].agent
    .post(path)
    .type('form')
    .send({ _csrf: await as[who].csrf(), ...body })

describe('region scope', () => {
  it('pages: the list for everyone, the create form for agents and admins, lists for admins', async () => {
    const expected: [string, Record<Who, number>][] = [
      ['/admin/groups', { admin: 200, agent: 200, viewer: 200, agentB: 200 }],
      ['/admin/groups/new', { admin: 200, agent: 200, viewer: 403, agentB: 200 }],
      ['/admin/groups/export.csv', { admin: 200, agent: 200, viewer: 200, agentB: 200 }],
      ['/admin/lists/rubros', { admin: 200, agent: 403, viewer: 403, agentB: 403 }],
      ['/admin/lists/partners', { admin: 200, agent: 403, viewer: 403, agentB: 403 }],
    ]
    for (const [path, byRole] of expected) {
      for (const who of roles) {
        expect([path, who, (await as[who].agent.get(path)).status]).toEqual([
          path,
          who,
          byRole[who],
        ])
      }
    }
    expect((await request(kit.app).get('/admin/groups')).status).toBe(303)
  })

  it('a group page: own region 200, another region or no region 404 (never the data)', async () => {
    const expected: Record<Who, Record<'own' | 'other' | 'noRegion', number>> = {
      admin: { own: 200, other: 200, noRegion: 200 },
      agent: { own: 200, other: 404, noRegion: 404 },
      viewer: { own: 200, other: 404, noRegion: 404 },
      agentB: { own: 404, other: 200, noRegion: 404 },
    }
    for (const who of roles) {
      for (const [which, id] of Object.entries({ own, other, noRegion })) {
        const res = await as[who].agent.get(`/admin/groups/${id}`)
        expect([who, which, res.status]).toEqual([who, which, expected[who][which as 'own']])
        if (res.status === 404) expect(res.text).not.toContain('Ana')
      }
    }
  })

  it('the list shows only the groups of her regions', async () => {
    const agent = (await as.agent.agent.get('/admin/groups')).text
    expect(agent).toContain(`/admin/groups/${own}"`)
    expect(agent).not.toContain(other)
    expect(agent).not.toContain(noRegion)
    const b = (await as.agentB.agent.get('/admin/groups')).text
    expect(b).toContain(`/admin/groups/${other}"`)
    expect(b).not.toContain(own)
    const admin = (await as.admin.agent.get('/admin/groups')).text
    for (const id of [own, other, noRegion]) expect(admin).toContain(`/admin/groups/${id}"`)
    // a region filter outside her scope shows nothing rather than another region's groups
    expect((await as.agent.agent.get('/admin/groups?region=PA-8')).text).not.toContain(other)
  })

  it('changes: viewers 403, another region 404, no CSRF token 403', async () => {
    const actions: [string, Record<string, string>][] = [
      ['phase', { from: 'BO-ATC-1', note: 'x' }],
      ['status', { status: 'inactive' }],
      ['requirements/BO-21/review', { decision: 'confirm' }],
      ['referrals', { partnerId: 'AFCOOP' }],
    ]
    for (const [action, body] of actions) {
      expect([
        action,
        (await post('viewer', `/admin/groups/${own}/${action}`, body)).status,
      ]).toEqual([action, 403])
      expect([
        action,
        (await post('agentB', `/admin/groups/${own}/${action}`, body)).status,
      ]).toEqual([action, 404])
      const noToken = await as.admin.agent
        .post(`/admin/groups/${own}/${action}`)
        .type('form')
        .send(body)
      expect([action, noToken.status]).toEqual([action, 403])
    }
    expect((await post('viewer', '/admin/groups', { name: 'X', regionId: 'BO-LP' })).status).toBe(
      403,
    )
    const g = await kit.db.group.findUniqueOrThrow({ where: { id: own } })
    expect(g).toMatchObject({ currentPhaseId: 'BO-ATC-1', status: 'active' })
    expect(await kit.db.referral.count()).toBe(0)
  })
})

describe('the list', () => {
  it('filters by name, country, region, municipality, rubro, phase, status and evidence to review', async () => {
    const list = async (q: string) => (await as.admin.agent.get(`/admin/groups?${q}`)).text
    const shows = (html: string) => [own, other, noRegion].filter((id) => html.includes(id))
    expect(shows(await list('q=Tejedoras'))).toEqual([own])
    expect(shows(await list('country=PA'))).toEqual([other])
    expect(shows(await list('region=BO-LP'))).toEqual([own])
    expect(shows(await list('municipality=Alto'))).toEqual([own])
    expect(shows(await list('rubro=artesania'))).toEqual([own])
    expect(shows(await list('phase=PA-ECV-1'))).toEqual([other])
    expect(shows(await list('status=inactive'))).toEqual([])
    await kit.db.groupRequirement.updateMany({
      where: { groupId: other, requirementId: 'PA-21' },
      data: { status: 'submitted' },
    })
    expect(shows(await list('review=1'))).toEqual([other])
    await kit.db.groupRequirement.updateMany({
      where: { groupId: other, requirementId: 'PA-21' },
      data: { status: 'pending' },
    })
    expect(shows(await list('country=XX&status=nope'))).toHaveLength(3)
  })

  it('pages by keyset: every group once, 25 a page', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z')
    for (let i = 0; i < 27; i++) {
      await createGroupRow(kit.db, {
        name: `Página ${i}`,
        regionId: 'BO-OR',
        createdAt: new Date(base + (i % 3) * 1000), // ties: the id breaks them
      })
    }
    const seen: string[] = []
    let url = '/admin/groups?region=BO-OR'
    for (let pages = 0; pages < 5; pages++) {
      const html = (await as.admin.agent.get(url)).text
      seen.push(...[...html.matchAll(/data-group-id="([^"]+)"/g)].map((m) => m[1]!))
      const next = /href="(\/admin\/groups\?[^"]*after=[^"]+)" rel="next"/.exec(html)
      if (!next) break
      url = next[1]!.replaceAll('&amp;', '&')
    }
    expect(seen).toHaveLength(27)
    expect(new Set(seen).size).toBe(27)
    expect((await as.admin.agent.get('/admin/groups?region=BO-OR')).text).toContain('>27<')
  })
})

describe('the group page', () => {
  it('shows members (phones to admins only), phases with dates, checklist, cases', async () => {
    const caseId = await createCase(kit.db, { regionId: 'BO-LP', name: 'Ana' })
    await kit.db.case.update({ where: { id: caseId }, data: { groupId: own } })
    const admin = (await as.admin.agent.get(`/admin/groups/${own}`)).text
    expect(admin).toContain('+59170000001')
    expect(admin).toContain(`/admin/cases/${caseId}`)
    expect(admin).toContain('Identificación de actores sociales')
    expect(admin).toContain('Monitoreo y evaluación') // Bolivia: 4 phases
    expect(admin).toContain('Reservar el nombre')
    expect(admin).not.toContain(XSS)
    expect(admin).toContain('&lt;img src=x onerror=alert(1)&gt;')
    const agent = (await as.agent.agent.get(`/admin/groups/${own}`)).text
    expect(agent).toContain('Ana')
    expect(agent).not.toContain('+59170000001')
    expect(agent).toContain('data-test="move-phase"')
    const viewer = (await as.viewer.agent.get(`/admin/groups/${own}`)).text
    expect(viewer).toContain('Ana')
    expect(viewer).not.toContain('data-test="move-phase"')
    expect(viewer).not.toContain('data-test="confirm"')
  })
})

describe('creating a group', () => {
  it('an agent registers one in her region: first phase, its date, the checklist, audited', async () => {
    const res = await post('agent', '/admin/groups', {
      name: 'Hilanderas de Achacachi',
      regionId: 'BO-LP',
      municipality: 'Achacachi',
      rubroId: 'artesania',
      memberCount: '12',
    })
    expect(res.status).toBe(303)
    const id = /\/admin\/groups\/(.+)$/.exec(res.headers.location!)![1]!
    const g = await kit.db.group.findUniqueOrThrow({
      where: { id },
      include: { phases: true, requirements: true },
    })
    expect(g).toMatchObject({
      country: 'BO',
      programmeId: 'BO-ATC',
      currentPhaseId: 'BO-ATC-1',
      memberCount: 12,
      status: 'active',
    })
    expect(g.inviteCode).toMatch(/^[A-Z2-9]{6}$/)
    expect(g.phases.map((p) => p.phaseId)).toEqual(['BO-ATC-1'])
    expect(g.requirements).toHaveLength(
      await kit.db.requirement.count({ where: { country: 'BO' } }),
    )
    expect(await kit.db.auditLog.count({ where: { action: 'group.create', entityId: id } })).toBe(1)
  })

  it('not in another region, nor in an inactive one, nor with a one-letter name', async () => {
    const res = await post('agent', '/admin/groups', { name: 'Fuera', regionId: 'PA-8' })
    expect(res.status).toBe(400)
    expect(await kit.db.group.count({ where: { name: 'Fuera' } })).toBe(0)
    await kit.db.region.create({
      data: { id: 'BO-ZZ', country: 'BO', kind: 'departamento', name: 'Cerrada', active: false },
    })
    expect(
      (await post('admin', '/admin/groups', { name: 'Cerrada', regionId: 'BO-ZZ' })).status,
    ).toBe(400)
    expect((await post('agent', '/admin/groups', { name: 'X', regionId: 'BO-LP' })).status).toBe(
      400,
    )
    expect(await kit.db.group.count({ where: { name: { in: ['Cerrada', 'X'] } } })).toBe(0)
  })
})

describe('moving a group to the next phase', () => {
  it('records the date and note, tells each reachable member in her language, audited', async () => {
    const woken = kit.woken.length
    const res = await post('agent', `/admin/groups/${own}/phase`, {
      from: 'BO-ATC-1',
      note: 'Reunión con la gobernación',
    })
    expect(res.status).toBe(303)
    const g = await kit.db.group.findUniqueOrThrow({
      where: { id: own },
      include: { phases: true },
    })
    expect(g.currentPhaseId).toBe('BO-ATC-2')
    const reached = g.phases.find((p) => p.phaseId === 'BO-ATC-2')!
    expect(reached.note).toBe('Reunión con la gobernación')
    expect(reached.staffId).toBeTruthy()
    const rows = await kit.db.outboundMessage.findMany({
      where: { origin: 'group', originId: own },
    })
    const byContact = new Map(rows.map((r) => [r.contactId, JSON.parse(r.payload).text as string]))
    expect([...byContact.keys()].sort()).toEqual([ana, mary].sort())
    expect(byContact.get(ana)).toContain('pasó a la fase 2 de 4')
    expect(byContact.get(ana)).toContain(
      'Presentación del programa y articulación interinstitucional',
    )
    expect(byContact.get(mary)).toContain('moved to phase 2 of 4')
    expect(byContact.get(mary)).toContain(
      'Programme presentation and inter-institutional coordination',
    )
    expect(byContact.has(optedOut) || byContact.has(noConsent)).toBe(false)
    expect(rows.every((r) => r.status === 'queued' && r.channel === 'web')).toBe(true)
    expect(kit.woken.length).toBe(woken + 1)
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'group.phase' } })
    expect(JSON.parse(log.before!)).toEqual({ phaseId: 'BO-ATC-1' })
    expect(JSON.parse(log.after!)).toMatchObject({ phaseId: 'BO-ATC-2', notified: 2 })
  })

  it('a second click from the old page does not skip a phase', async () => {
    const res = await post('agent', `/admin/groups/${own}/phase`, { from: 'BO-ATC-1', note: '' })
    expect(res.status).toBe(409)
    expect((await kit.db.group.findUniqueOrThrow({ where: { id: own } })).currentPhaseId).toBe(
      'BO-ATC-2',
    )
  })

  it('Panama has three phases, Bolivia four: past the last one is refused', async () => {
    for (const from of ['PA-ECV-1', 'PA-ECV-2']) {
      expect((await post('agentB', `/admin/groups/${other}/phase`, { from })).status).toBe(303)
    }
    const last = await post('agentB', `/admin/groups/${other}/phase`, { from: 'PA-ECV-3' })
    expect(last.status).toBe(409)
    expect((await kit.db.group.findUniqueOrThrow({ where: { id: other } })).currentPhaseId).toBe(
      'PA-ECV-3',
    )
    for (const from of ['BO-ATC-2', 'BO-ATC-3']) {
      expect((await post('agent', `/admin/groups/${own}/phase`, { from })).status).toBe(303)
    }
    expect((await post('agent', `/admin/groups/${own}/phase`, { from: 'BO-ATC-4' })).status).toBe(
      409,
    )
    const page = (await as.agent.agent.get(`/admin/groups/${own}`)).text
    expect(page).not.toContain('data-test="move-phase"')
    expect(await kit.db.groupPhase.count({ where: { groupId: own } })).toBe(4)
  })
})

describe('reviewing requirements', () => {
  it('confirm and reject (with a reason) are kept, told to the members and audited', async () => {
    await kit.db.groupRequirement.updateMany({
      where: { groupId: own, requirementId: { in: ['BO-21', 'BO-22'] } },
      data: { status: 'submitted', submittedAt: new Date() },
    })
    const before = await kit.db.outboundMessage.count({ where: { originId: own } })
    expect(
      (
        await post('agent', `/admin/groups/${own}/requirements/BO-21/review`, {
          decision: 'confirm',
        })
      ).status,
    ).toBe(303)
    const noReason = await post('agent', `/admin/groups/${own}/requirements/BO-22/review`, {
      decision: 'reject',
      reason: ' ',
    })
    expect(noReason.status).toBe(400)
    expect(
      (
        await post('agent', `/admin/groups/${own}/requirements/BO-22/review`, {
          decision: 'reject',
          reason: 'Falta la firma de la presidenta',
        })
      ).status,
    ).toBe(303)
    const rows = await kit.db.groupRequirement.findMany({
      where: { groupId: own, requirementId: { in: ['BO-21', 'BO-22'] } },
      orderBy: { requirementId: 'asc' },
    })
    expect(
      rows.map((r) => [r.status, r.rejectReason, Boolean(r.reviewedById && r.reviewedAt)]),
    ).toEqual([
      ['done', null, true],
      ['rejected', 'Falta la firma de la presidenta', true],
    ])
    const texts = (
      await kit.db.outboundMessage.findMany({
        where: { originId: own },
        orderBy: { createdAt: 'asc' },
      })
    )
      .slice(before)
      .map((r) => ({ contactId: r.contactId, text: JSON.parse(r.payload).text as string }))
    expect(texts).toHaveLength(4)
    expect(texts.find((t) => t.contactId === ana && t.text.includes('confirmó'))?.text).toContain(
      'Reservar el nombre',
    )
    expect(
      texts.find((t) => t.contactId === mary && t.text.includes('did not accept'))?.text,
    ).toContain('Reason: Falta la firma de la presidenta')
    expect(
      await kit.db.auditLog.count({
        where: { action: { in: ['group.requirement_confirm', 'group.requirement_reject'] } },
      }),
    ).toBe(2)
    // reviewing it again to the same status is refused, and nobody is told twice
    expect(
      (
        await post('agent', `/admin/groups/${own}/requirements/BO-21/review`, {
          decision: 'confirm',
        })
      ).status,
    ).toBe(409)
    expect(
      (
        await post('agent', `/admin/groups/${own}/requirements/PA-20/review`, {
          decision: 'confirm',
        })
      ).status,
    ).toBe(404)
  })

  it('serves evidence to staff only, images inline, anything else as a download', async () => {
    const row = await kit.db.groupRequirement.findFirstOrThrow({
      where: { groupId: own, requirementId: 'BO-22' },
    })
    const photo = randomUUID()
    const page = randomUUID()
    await kit.db.attachment.createMany({
      data: [
        {
          id: photo,
          contactId: ana,
          groupRequirementId: row.id,
          kind: 'image',
          mime: 'image/jpeg',
          size: 10,
          storageKey: 'a/photo.jpg',
        },
        {
          id: page,
          contactId: ana,
          groupRequirementId: row.id,
          kind: 'document',
          mime: 'text/html',
          size: 10,
          storageKey: 'a/page.html',
        },
      ],
    })
    const img = await as.agent.agent.get(`/admin/groups/${own}/evidence/${photo}`)
    expect(img.status).toBe(200)
    expect(img.headers['content-type']).toBe('image/jpeg')
    expect(img.headers['content-disposition']).toBe('inline')
    expect(img.headers['content-security-policy']).toContain('sandbox')
    const html = await as.agent.agent.get(`/admin/groups/${own}/evidence/${page}`)
    expect(html.headers['content-type']).toBe('application/octet-stream')
    expect(html.headers['content-disposition']).toMatch(/^attachment;/)
    expect((await as.agentB.agent.get(`/admin/groups/${own}/evidence/${photo}`)).status).toBe(404)
    expect((await as.agentB.agent.get(`/admin/groups/${other}/evidence/${photo}`)).status).toBe(404)
    expect((await request(kit.app).get(`/admin/groups/${own}/evidence/${photo}`)).status).toBe(303)
    const groupPage = (await as.viewer.agent.get(`/admin/groups/${own}`)).text
    expect(groupPage).toContain(`/admin/groups/${own}/evidence/${photo}`)
  })
})

describe('referrals', () => {
  it('refers a group to a partner of its country and audits each status change', async () => {
    expect(
      (await post('agent', `/admin/groups/${own}/referrals`, { partnerId: 'IPACOOP' })).status,
    ).toBe(400)
    expect(
      (
        await post('agent', `/admin/groups/${own}/referrals`, {
          partnerId: 'AFCOOP',
          note: 'Reserva',
        })
      ).status,
    ).toBe(303)
    const referral = await kit.db.referral.findFirstOrThrow({ where: { groupId: own } })
    expect(referral).toMatchObject({ partnerId: 'AFCOOP', status: 'open', note: 'Reserva' })
    const res = await post('agent', `/admin/groups/${own}/referrals/${referral.id}/status`, {
      status: 'in_progress',
    })
    expect(res.status).toBe(303)
    expect((await kit.db.referral.findUniqueOrThrow({ where: { id: referral.id } })).status).toBe(
      'in_progress',
    )
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'referral.status' } })
    expect([JSON.parse(log.before!), JSON.parse(log.after!).status]).toEqual([
      { status: 'open' },
      'in_progress',
    ])
    expect(
      (
        await post('agentB', `/admin/groups/${other}/referrals/${referral.id}/status`, {
          status: 'done',
        })
      ).status,
    ).toBe(404)
    const page = (await as.viewer.agent.get(`/admin/groups/${own}`)).text
    expect(page).toContain('AFCOOP – Autoridad de Fiscalización')
    expect(page).toContain('En curso')
  })
})

describe('group status', () => {
  it('is changed by agents and audited; the list filters by it', async () => {
    expect(
      (await post('agent', `/admin/groups/${own}/status`, { status: 'constituted' })).status,
    ).toBe(303)
    expect(await kit.db.auditLog.count({ where: { action: 'group.status', entityId: own } })).toBe(
      1,
    )
    expect((await as.agent.agent.get('/admin/groups?status=constituted')).text).toContain(own)
    expect((await post('agent', `/admin/groups/${own}/status`, { status: 'gone' })).status).toBe(
      400,
    )
  })
})
