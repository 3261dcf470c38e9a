import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createI18n } from '../../app/i18n.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { audienceSchema, audienceWhere } from './audience.ts'
import { countAudience, materialise } from './broadcasts.ts'

/**
 * Every audience filter, alone and combined, against a small population whose expected
 * members are computed here in plain code: the count shown before sending must equal the rows
 * materialised, and both must be exactly the women the filters describe.
 */
type Woman = {
  id: string
  country: 'BO' | 'PA'
  regionId: string | null
  channel: 'whatsapp' | 'telegram'
  wrote: boolean
  group?: {
    regionId: string
    municipality: string
    rubroId: string
    phaseId: string
    role: 'presidenta' | 'miembro'
  }
  training?: boolean
}

const GROUPS = {
  g1: {
    regionId: 'BO-LP',
    municipality: 'El Alto',
    rubroId: 'textil',
    phaseId: 'BO-X-1',
    role: 'presidenta',
  },
  g2: {
    regionId: 'BO-LP',
    municipality: 'Viacha',
    rubroId: 'alimentos',
    phaseId: 'BO-X-2',
    role: 'miembro',
  },
  g3: {
    regionId: 'BO-CB',
    municipality: 'Sacaba',
    rubroId: 'textil',
    phaseId: 'BO-X-2',
    role: 'miembro',
  },
  g4: {
    regionId: 'PA-8',
    municipality: 'San Miguelito',
    rubroId: 'alimentos',
    phaseId: 'BO-X-1',
    role: 'presidenta',
  },
} as const

const women: Woman[] = [
  {
    id: 'w01',
    country: 'BO',
    regionId: 'BO-LP',
    channel: 'telegram',
    wrote: true,
    group: GROUPS.g1,
    training: true,
  },
  {
    id: 'w02',
    country: 'BO',
    regionId: 'BO-LP',
    channel: 'whatsapp',
    wrote: true,
    group: GROUPS.g2,
  },
  {
    id: 'w03',
    country: 'BO',
    regionId: 'BO-LP',
    channel: 'whatsapp',
    wrote: false,
    group: GROUPS.g1,
  },
  {
    id: 'w04',
    country: 'BO',
    regionId: null,
    channel: 'telegram',
    wrote: true,
    group: GROUPS.g2,
    training: true,
  },
  {
    id: 'w05',
    country: 'BO',
    regionId: 'BO-CB',
    channel: 'whatsapp',
    wrote: true,
    group: GROUPS.g3,
  },
  { id: 'w06', country: 'BO', regionId: 'BO-CB', channel: 'telegram', wrote: true },
  {
    id: 'w07',
    country: 'PA',
    regionId: 'PA-8',
    channel: 'whatsapp',
    wrote: true,
    group: GROUPS.g4,
    training: true,
  },
  { id: 'w08', country: 'PA', regionId: 'PA-8', channel: 'telegram', wrote: false },
  { id: 'w09', country: 'BO', regionId: 'BO-LP', channel: 'telegram', wrote: true },
  {
    id: 'w10',
    country: 'BO',
    regionId: 'BO-CB',
    channel: 'telegram',
    wrote: true,
    group: GROUPS.g1,
  },
] as Woman[]

type Filters = Partial<ReturnType<typeof audienceSchema.parse>>

/** Who the filters describe, computed without the database. */
function expected(f: Filters): string[] {
  const onlyWhoWrote = f.onlyWhoWrote ?? true
  return women
    .filter((w) => {
      if (f.country && w.country !== f.country) return false
      if (f.channel && w.channel !== f.channel) return false
      if (f.regionIds?.length) {
        const own = w.regionId !== null && f.regionIds.includes(w.regionId)
        const viaGroup = w.group !== undefined && f.regionIds.includes(w.group.regionId)
        if (!own && !viaGroup) return false
      }
      const g = w.group
      if (f.municipalities?.length && !(g && f.municipalities.includes(g.municipality)))
        return false
      if (f.rubroIds?.length && !(g && f.rubroIds.includes(g.rubroId))) return false
      if (f.phaseIds?.length && !(g && f.phaseIds.includes(g.phaseId))) return false
      if (f.groupRole && g?.role !== f.groupRole) return false
      if (f.trainingId && !w.training) return false
      if (onlyWhoWrote && w.channel === 'whatsapp' && !w.wrote) return false
      return true
    })
    .map((w) => w.id)
    .sort()
}

const cases: [string, Filters][] = [
  ['no filter', {}],
  ['country', { country: 'PA' }],
  ['region (hers or her group’s)', { regionIds: ['BO-LP'] }],
  ['two regions', { regionIds: ['BO-CB', 'PA-8'] }],
  ['municipality', { municipalities: ['El Alto'] }],
  ['municipalities', { municipalities: ['Viacha', 'Sacaba'] }],
  ['rubro', { rubroIds: ['textil'] }],
  ['phase', { phaseIds: ['BO-X-2'] }],
  ['channel', { channel: 'whatsapp' }],
  ['training registration', { trainingId: 'tr1' }],
  ['group role', { groupRole: 'presidenta' }],
  ['WhatsApp rule off', { onlyWhoWrote: false }],
  [
    'region + rubro + role',
    { regionIds: ['BO-LP'], rubroIds: ['textil'], groupRole: 'presidenta' },
  ],
  ['country + channel + training', { country: 'BO', channel: 'telegram', trainingId: 'tr1' }],
  ['municipality + phase', { municipalities: ['El Alto', 'San Miguelito'], phaseIds: ['BO-X-1'] }],
  ['nobody', { municipalities: ['Sacaba'], groupRole: 'presidenta' }],
]

let database: TestDatabase
let db: Db
const i18n = await createI18n()

beforeAll(async () => {
  database = await freshSqlite()
  db = database.db
  await db.staff.create({
    data: { id: 's', email: 's@test.local', name: 's', passwordHash: 'x', role: 'admin' },
  })
  await db.region.createMany({
    data: [
      { id: 'BO-LP', country: 'BO', kind: 'departamento', name: 'La Paz' },
      { id: 'BO-CB', country: 'BO', kind: 'departamento', name: 'Cochabamba' },
      { id: 'PA-8', country: 'PA', kind: 'provincia', name: 'Panamá' },
    ],
  })
  await db.rubro.createMany({
    data: [
      { id: 'textil', nameEs: 'Textil', nameEn: 'Textile' },
      { id: 'alimentos', nameEs: 'Alimentos', nameEn: 'Food' },
    ],
  })
  await db.programme.create({
    data: {
      id: 'BO-X',
      country: 'BO',
      nameEs: 'X',
      nameEn: 'X',
      source: 's',
      status: 'confirmado',
    },
  })
  for (const order of [1, 2]) {
    await db.phase.create({
      data: {
        id: `BO-X-${order}`,
        programmeId: 'BO-X',
        order,
        nameEs: `F${order}`,
        nameEn: `P${order}`,
        descriptionEs: '',
        descriptionEn: '',
        source: 's',
        status: 'confirmado',
      },
    })
  }
  for (const [id, g] of Object.entries(GROUPS)) {
    await db.group.create({
      data: {
        id,
        name: id,
        country: g.regionId.slice(0, 2),
        regionId: g.regionId,
        municipality: g.municipality,
        rubroId: g.rubroId,
        programmeId: 'BO-X',
        currentPhaseId: g.phaseId,
        inviteCode: `INV-${id}`,
      },
    })
  }
  await db.training.create({
    data: {
      id: 'tr1',
      title: 'Capacitación',
      modality: 'presencial',
      country: 'BO',
      startsAt: new Date('2026-12-10T14:00:00Z'),
      endsAt: new Date('2026-12-10T16:00:00Z'),
      capacity: 30,
    },
  })
  const T0 = new Date('2026-12-01T12:00:00Z')
  for (const w of women) {
    await db.contact.create({
      data: {
        id: w.id,
        channel: w.channel,
        channelUserId: `u-${w.id}`,
        country: w.country,
        regionId: w.regionId,
        consentAt: T0,
        lastInboundAt: w.wrote ? T0 : null,
      },
    })
    const g = w.group
    if (g) {
      const groupId = Object.entries(GROUPS).find(([, v]) => v === g)![0]
      await db.groupMember.create({
        data: { id: randomUUID(), groupId, contactId: w.id, role: g.role },
      })
    }
    if (w.training) {
      await db.trainingRegistration.create({
        data: { id: randomUUID(), trainingId: 'tr1', contactId: w.id, status: 'registered' },
      })
    }
  }
  // never reached, whatever the filters: opted out, erased, unreachable, no consent
  for (const [i, extra] of [
    { optedOutAt: T0 },
    { erasedAt: T0 },
    { unreachableAt: T0 },
    { consentAt: null },
  ].entries()) {
    await db.contact.create({
      data: {
        id: `x${i}`,
        channel: 'telegram',
        channelUserId: `u-x${i}`,
        country: 'BO',
        regionId: 'BO-LP',
        consentAt: T0,
        lastInboundAt: T0,
        ...extra,
      },
    })
    await db.groupMember.create({
      data: { id: randomUUID(), groupId: 'g1', contactId: `x${i}`, role: 'presidenta' },
    })
  }
})
afterAll(() => database.cleanup())

describe('audience filters', () => {
  it.each(cases)(
    '%s: the count equals the rows created, and they are the right women',
    async (_, filters) => {
      const audience = audienceSchema.parse(filters)
      const want = expected(filters)
      expect(await countAudience(db, audience)).toBe(want.length)
      // the Prisma form (used elsewhere, e.g. group notices) describes the same women
      const viaPrisma = await db.contact.findMany({
        where: audienceWhere(audience),
        select: { id: true },
      })
      expect(viaPrisma.map((c) => c.id).sort()).toEqual(want)
      const id = randomUUID()
      await db.broadcast.create({
        data: {
          id,
          title: 't',
          texts: JSON.stringify({ es: 'Aviso' }),
          audience: JSON.stringify(audience),
          status: 'sending',
          createdById: 's',
        },
      })
      // a small batch so the keyset paging crosses several batch boundaries
      const { created, complete } = await materialise(db, i18n, id, { batchSize: 3 })
      expect(complete).toBe(true)
      expect(created).toBe(want.length)
      const rows = await db.broadcastRecipient.findMany({ where: { broadcastId: id } })
      expect(rows.map((r) => r.contactId).sort()).toEqual(want)
      expect(await db.outboundMessage.count({ where: { originId: id } })).toBe(want.length)
    },
  )
})
