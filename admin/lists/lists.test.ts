import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminTestApp, createStaff, signIn } from '../admin-test-kit.ts'
import { createGroupRow } from '../groups/group-test-kit.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
let admin: Awaited<ReturnType<typeof signIn>>
let agent: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
  admin = await signIn(kit.app, 'admin@test.local')
  agent = await signIn(kit.app, 'agent@test.local')
})
afterAll(() => kit.cleanup())

const post = async (who: typeof admin, path: string, body: Record<string, string> = {}) =>
  who.agent
    .post(path)
    .type('form')
    .send({ _csrf: await who.csrf(), ...body })

const actions = async (entityId: string) =>
  (await kit.db.auditLog.findMany({ where: { entityId }, orderBy: { createdAt: 'asc' } })).map(
    (l) => l.action,
  )

describe('editable lists', () => {
  it('are for admins only', async () => {
    for (const kind of ['rubros', 'regions', 'partners']) {
      expect((await agent.agent.get(`/admin/lists/${kind}`)).status).toBe(403)
      expect((await post(agent, `/admin/lists/${kind}`, { nameEs: 'x', nameEn: 'x' })).status).toBe(
        403,
      )
    }
    expect((await admin.agent.get('/admin/lists/nope')).status).toBe(404)
    const page = (await admin.agent.get('/admin/lists/partners')).text
    for (const name of ['IPACOOP', 'AMPYME', 'INAMU', 'INADEH', 'AFCOOP'])
      expect(page).toContain(name)
  })

  it('rubros: add, rename, deactivate; unused ones are deleted, used ones only deactivated', async () => {
    expect(
      (
        await post(admin, '/admin/lists/rubros', {
          nameEs: 'Pesca artesanal',
          nameEn: 'Artisanal fishing',
        })
      ).status,
    ).toBe(303)
    const fish = await kit.db.rubro.findUniqueOrThrow({ where: { id: 'pesca-artesanal' } })
    expect(fish).toMatchObject({ nameEn: 'Artisanal fishing', active: true })
    expect(
      (
        await post(admin, '/admin/lists/rubros/pesca-artesanal', {
          nameEs: 'Pesca',
          nameEn: 'Fishing',
        })
      ).status,
    ).toBe(303)
    expect((await kit.db.rubro.findUniqueOrThrow({ where: { id: fish.id } })).nameEs).toBe('Pesca')
    expect((await post(admin, '/admin/lists/rubros', { nameEs: 'P', nameEn: '' })).status).toBe(400)

    await createGroupRow(kit.db, { name: 'Con rubro', regionId: 'BO-LP', rubroId: 'agricultura' })
    expect((await post(admin, '/admin/lists/rubros/agricultura/delete')).status).toBe(303)
    expect(await kit.db.rubro.findUnique({ where: { id: 'agricultura' } })).toMatchObject({
      active: false,
    })
    expect((await post(admin, '/admin/lists/rubros/pesca-artesanal/delete')).status).toBe(303)
    expect(await kit.db.rubro.findUnique({ where: { id: 'pesca-artesanal' } })).toBeNull()
    expect(await actions('agricultura')).toEqual(['list.deactivate'])
    expect(await actions('pesca-artesanal')).toEqual(['list.create', 'list.update', 'list.delete'])

    expect(
      (await post(admin, '/admin/lists/rubros/agricultura/active', { active: '1' })).status,
    ).toBe(303)
    expect((await kit.db.rubro.findUniqueOrThrow({ where: { id: 'agricultura' } })).active).toBe(
      true,
    )
  })

  it('a deactivated rubro is not offered for new groups', async () => {
    await post(admin, '/admin/lists/rubros/cosmetica/active', { active: '0' })
    const form = (await agent.agent.get('/admin/groups/new')).text
    expect(form).not.toContain('value="cosmetica"')
    expect(form).toContain('value="artesania"')
  })

  it('regions: content rows only switch on and off; new ones are editable', async () => {
    expect(
      (await post(admin, '/admin/lists/regions/BO-LP', { name: 'Otra', kind: 'departamento' }))
        .status,
    ).toBe(409)
    expect((await kit.db.region.findUniqueOrThrow({ where: { id: 'BO-LP' } })).name).toBe('La Paz')
    expect(
      (
        await post(admin, '/admin/lists/regions', {
          id: 'bo-ch2',
          name: 'Chaco',
          kind: 'departamento',
        })
      ).status,
    ).toBe(303)
    expect(await kit.db.region.findUnique({ where: { id: 'BO-CH2' } })).toMatchObject({
      country: 'BO',
      name: 'Chaco',
      active: true,
    })
    expect(
      (
        await post(admin, '/admin/lists/regions', {
          id: 'BO-CH2',
          name: 'Chaco',
          kind: 'departamento',
        })
      ).status,
    ).toBe(400)
    expect(
      (await post(admin, '/admin/lists/regions', { id: 'XX-1', name: 'Nada', kind: 'provincia' }))
        .status,
    ).toBe(400)
    // a content region in use: deleting it switches it off instead
    expect((await post(admin, '/admin/lists/regions/BO-LP/delete')).status).toBe(303)
    expect((await kit.db.region.findUniqueOrThrow({ where: { id: 'BO-LP' } })).active).toBe(false)
    expect((await post(admin, '/admin/lists/regions/BO-CH2/delete')).status).toBe(303)
    expect(await kit.db.region.findUnique({ where: { id: 'BO-CH2' } })).toBeNull()
  })

  it('partners: municipalities and universities are added; a referred one is never deleted', async () => {
    expect(
      (
        await post(admin, '/admin/lists/partners', {
          name: 'Universidad Mayor de San Andrés',
          country: 'BO',
          kind: 'universidad',
        })
      ).status,
    ).toBe(303)
    const umsa = await kit.db.partner.findFirstOrThrow({ where: { kind: 'universidad' } })
    const group = await createGroupRow(kit.db, { name: 'Derivada', regionId: 'BO-OR' })
    await kit.db.referral.create({
      data: { id: 'r1', groupId: group, partnerId: umsa.id, status: 'open' },
    })
    expect((await post(admin, `/admin/lists/partners/${umsa.id}/delete`)).status).toBe(303)
    expect((await kit.db.partner.findUniqueOrThrow({ where: { id: umsa.id } })).active).toBe(false)
    expect(await actions(umsa.id)).toEqual(['list.create', 'list.deactivate'])
    // an inactive partner is no longer offered for referrals
    const page = (await admin.agent.get(`/admin/groups/${group}`)).text
    expect(page).not.toContain(`value="${umsa.id}"`)
    expect(page).toContain('value="AFCOOP"')
  })
})
