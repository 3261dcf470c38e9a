import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import { readContentFile } from '../../prisma/seed/content-schema.ts'

export const listKindSchema = z.enum(['rubros', 'regions', 'partners'])
export type ListKind = z.infer<typeof listKindSchema>

export const LIST_PAGE_SIZE = 50
export const countrySchema = z.enum(['BO', 'PA'])
export const regionKinds = ['departamento', 'provincia', 'comarca'] as const
/** The seed's kinds, and those staff add: municipalities, universities, NGOs. */
export const partnerKinds = [
  'ministerio',
  'autoridad',
  'instituto',
  'confederacion',
  'organismo-internacional',
  'municipio',
  'universidad',
  'ong',
  'otro',
] as const

const name = z.string().trim().min(2).max(200)

export const rubroForm = z.object({ nameEs: name, nameEn: name })
export const regionCreateForm = z.object({
  id: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(BO|PA)-[A-Z0-9]{1,8}$/),
  kind: z.enum(regionKinds),
  name,
})
export const regionForm = regionCreateForm.pick({ kind: true, name: true })
export const partnerForm = z.object({
  name,
  country: z.enum(['BO', 'PA', 'ambos']),
  kind: z.enum(partnerKinds),
})

/**
 * Region and partner rows that come from the programme content: the seed rewrites their names
 * at every start (prisma/seed/seed.ts), so staff only switch them on and off; rows staff added
 * are theirs to rename. Rubros are created once by the seed and never rewritten: all editable.
 */
export function seededIds(kind: ListKind): Set<string> {
  if (kind === 'regions') return new Set(readContentFile('regions').map((r) => r.id))
  if (kind === 'partners') return new Set(readContentFile('partners').map((p) => p.id))
  return new Set()
}

/** How many rows point at an entry: a referenced entry is deactivated, never deleted. */
export async function referencesTo(db: Db, kind: ListKind, id: string): Promise<number> {
  switch (kind) {
    case 'rubros': {
      const [groups, trainings] = await Promise.all([
        db.group.count({ where: { rubroId: id } }),
        db.training.count({ where: { rubroId: id } }),
      ])
      return groups + trainings
    }
    case 'regions': {
      const counts = await Promise.all([
        db.group.count({ where: { regionId: id } }),
        db.contact.count({ where: { regionId: id } }),
        db.case.count({ where: { regionId: id } }),
        db.training.count({ where: { regionId: id } }),
        db.staffRegion.count({ where: { regionId: id } }),
      ])
      return counts.reduce((a, b) => a + b, 0)
    }
    case 'partners':
      return db.referral.count({ where: { partnerId: id } })
  }
}

/** A rubro id from its Spanish name ("Pesca artesanal" → "pesca-artesanal"), unused. */
export async function newRubroId(db: Db, nameEs: string): Promise<string> {
  const base =
    nameEs
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'rubro'
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`
    if (!(await db.rubro.findUnique({ where: { id } }))) return id
  }
}
