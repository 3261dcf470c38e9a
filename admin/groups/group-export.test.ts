import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminTestApp, createStaff, signIn } from '../admin-test-kit.ts'
import { addMember, createGroupRow } from './group-test-kit.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
let admin: Awaited<ReturnType<typeof signIn>>
let agent: Awaited<ReturnType<typeof signIn>>
const NAME = 'Tejedoras, "Ñañas" de Potosí'
const MEMBER = 'María José, la Ñusta'

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-PT'])
  const own = await createGroupRow(kit.db, {
    name: NAME,
    regionId: 'BO-PT',
    municipality: 'Llallagua, Norte de Potosí',
    rubroId: 'artesania',
  })
  await addMember(kit.db, own, { name: MEMBER, role: 'presidenta', phone: '+59171234567' })
  await addMember(kit.db, own, { name: 'Sin teléfono' })
  await kit.db.groupRequirement.updateMany({
    where: { groupId: own, requirementId: { in: ['BO-20', 'BO-21'] } },
    data: { status: 'done' },
  })
  await createGroupRow(kit.db, { name: 'Cooperativa de Colón', regionId: 'PA-3' })
  await createGroupRow(kit.db, { name: 'Otra de Potosí', regionId: 'BO-PT', status: 'inactive' })
  admin = await signIn(kit.app, 'admin@test.local')
  agent = await signIn(kit.app, 'agent@test.local')
})
afterAll(() => kit.cleanup())

function parseCsv(body: string): Record<string, string>[] {
  return parse(body, { columns: true, bom: true, record_delimiter: '\r\n' })
}

describe('groups CSV export', () => {
  it('is UTF-8 with a BOM and CRLF, and round-trips accents, commas and quotes', async () => {
    const res = await admin.agent
      .get('/admin/groups/export.csv?region=BO-PT&status=active')
      .buffer()
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="grupos-[\d-]+\.csv"$/,
    )
    const body = res.text
    expect(body.charCodeAt(0)).toBe(0xfeff)
    expect(body).toContain('\r\n')
    expect(body.replace(/\r\n/g, '')).not.toContain('\n')
    const rows = parseCsv(body)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      nombre: NAME,
      país: 'BO',
      región: 'Potosí',
      municipio: 'Llallagua, Norte de Potosí',
      rubro: 'Artesanía',
      'fase (número)': '1',
      fase: 'Identificación de actores sociales',
      estado: 'Activo',
      'socias en el chat': '2',
      'requisitos confirmados': '2',
    })
    expect(rows[0]!['socias (nombre, rol, teléfono)']).toBe(
      `${MEMBER} (presidenta, +59171234567); Sin teléfono (miembro)`,
    )
    expect(rows[0]!['fase alcanzada el']).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('honours the region scope and keeps members out for non-admins; audited', async () => {
    const res = await agent.agent.get('/admin/groups/export.csv').buffer()
    expect(res.status).toBe(200)
    const rows = parseCsv(res.text)
    expect(rows.map((r) => r.nombre).sort()).toEqual(['Otra de Potosí', NAME])
    expect(Object.keys(rows[0]!)).not.toContain('socias (nombre, rol, teléfono)')
    expect(res.text).not.toContain('+591')
    expect(res.text).not.toContain('María José')
    const logs = await kit.db.auditLog.findMany({
      where: { action: 'export.groups' },
      orderBy: { createdAt: 'asc' },
    })
    expect(logs).toHaveLength(2)
    expect(JSON.parse(logs[1]!.after!)).toMatchObject({ rows: 2, personalData: false })
    expect(JSON.parse(logs[0]!.after!)).toMatchObject({
      rows: 1,
      personalData: true,
      filters: { region: 'BO-PT', status: 'active' },
    })
  })

  it('has as many rows as the list counts, for the same filters', async () => {
    for (const q of ['', 'country=BO', 'status=inactive', 'q=Potos']) {
      const list = (await admin.agent.get(`/admin/groups?${q}`)).text
      const total = Number(/data-test="group-total">(\d+)</.exec(list)![1])
      const rows = parseCsv((await admin.agent.get(`/admin/groups/export.csv?${q}`).buffer()).text)
      expect([q, rows.length]).toEqual([q, total])
    }
  })

  it('uses the staff member’s language for headers and names', async () => {
    await kit.db.staff.update({ where: { email: 'agent@test.local' }, data: { locale: 'en' } })
    const rows = parseCsv(
      (await agent.agent.get('/admin/groups/export.csv?q=Tejedoras').buffer()).text,
    )
    expect(rows[0]).toMatchObject({
      name: NAME,
      sector: 'Handicrafts',
      phase: 'Identification of social actors',
      status: 'Active',
    })
  })
})
