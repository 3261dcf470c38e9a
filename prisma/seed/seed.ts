// The database seed: programme content (prisma/seed/content/*.json), default settings and the
// first admin. Safe to run at every start: it upserts by id and never overwrites what staff edit.
//
//   - Programme, Phase, Region, Partner: upserted (content changes reach the database); the
//     `active` flags staff toggle are never touched.
//   - ContentFact, FaqEntry, Requirement, Rubro, Setting: created when missing, never updated,
//     because staff edit them in the panel (confirming a fact, rewording an answer…).
//   - Staff: the first admin is created only if no staff member has that email.
import { randomBytes, randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import type { Db } from '../../app/db/open.ts'
import type { Prisma } from '../../generated/sqlite/index.js'
import { loadContent } from './content-schema.ts'
import type { Content } from './content-schema.ts'

export type SeedLog = {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
}

export type SeedOptions = {
  adminEmail: string
  /** When absent, a strong password is generated, returned once and must be changed. */
  adminPassword?: string
  log: SeedLog
  /** The content to seed; defaults to prisma/seed/content/*.json. */
  content?: Content
}

export type SeedResult = {
  adminCreated: boolean
  /** Set only when the admin was created with a generated password: print it once. */
  generatedPassword?: string
  counts: Record<string, number>
}

/** Working hours to a first response, by case topic, and the languages offered. */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  'sla.hours.legal': '16',
  'sla.hours.technical': '16',
  'sla.hours.training': '8',
  'sla.hours.human': '8',
  'sla.hours.other': '16',
  'languages.enabled': '["es","en"]',
}

export const ADMIN_NAME = 'Administración'

type Tx = Prisma.TransactionClient

/** Seeds the programme content, the settings and the first admin (see the file comment). */
export async function seedProgramme(db: Db, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now()
  const content = options.content ?? loadContent()
  const created = await db.$transaction((tx) => seedContent(tx, content, options.log), {
    timeout: 60_000,
    maxWait: 10_000,
  })
  const admin = await ensureAdmin(db, options)
  const counts = await countRows(db)
  options.log.info(
    {
      created,
      counts,
      adminCreated: admin.adminCreated,
      ms: Math.round(performance.now() - started),
    },
    'seed: programme content ready',
  )
  return { ...admin, counts }
}

async function seedContent(
  tx: Tx,
  content: Content,
  log: SeedLog,
): Promise<Record<string, number>> {
  const created: Record<string, number> = {}

  for (const p of content.programmes) {
    const data = {
      country: p.country,
      nameEs: p.nameEs,
      nameEn: p.nameEn,
      source: p.source,
      status: p.status,
    }
    await tx.programme.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data })
    for (const ph of p.phases) {
      const phase = {
        programmeId: p.id,
        order: ph.order,
        nameEs: ph.nameEs,
        nameEn: ph.nameEn,
        descriptionEs: ph.descriptionEs,
        descriptionEn: ph.descriptionEn,
        source: ph.source,
        status: ph.status,
      }
      await tx.phase.upsert({
        where: { id: ph.id },
        create: { id: ph.id, ...phase },
        update: phase,
      })
    }
  }

  for (const r of content.regions) {
    const data = { country: r.country, kind: r.kind, name: r.name }
    await tx.region.upsert({ where: { id: r.id }, create: { id: r.id, ...data }, update: data })
  }

  for (const p of content.partners) {
    const data = { name: p.name, country: p.country, kind: p.kind }
    await tx.partner.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data })
  }

  const existingRubros = await ids(tx.rubro.findMany({ select: { id: true } }))
  const rubros = content.rubros
    .filter((r) => !existingRubros.has(r.id))
    .map((r) => ({ id: r.id, nameEs: r.nameEs, nameEn: r.nameEn }))
  created.rubro = (await tx.rubro.createMany({ data: rubros })).count

  const existingFacts = await ids(tx.contentFact.findMany({ select: { id: true } }))
  const facts = content.facts
    .filter((f) => !existingFacts.has(f.id))
    .map((f) => ({
      id: f.id,
      country: f.country,
      section: f.section,
      titleEs: f.titleEs,
      textEs: f.textEs,
      titleEn: f.titleEn,
      textEn: f.textEn,
      status: f.status,
      source: f.source,
    }))
  created.contentFact = (await tx.contentFact.createMany({ data: facts })).count

  const existingFaq = await ids(tx.faqEntry.findMany({ select: { id: true } }))
  const faq = content.faq
    .filter((f) => !existingFaq.has(f.id))
    .map((f) => ({
      id: f.id,
      country: f.country,
      questionEs: f.questionEs,
      answerEs: f.answerEs,
      questionEn: f.questionEn,
      answerEn: f.answerEn,
      keywords: f.keywords.join(', '),
      status: f.status,
      basis: f.basis,
    }))
  created.faqEntry = (await tx.faqEntry.createMany({ data: faq })).count

  // (country, order) is unique: if staff reordered the checklist so that a missing item's slot
  // is taken, skip that item and say so rather than fail the whole seed
  const existingReqs = await tx.requirement.findMany({
    select: { id: true, country: true, order: true },
  })
  const reqIds = new Set(existingReqs.map((r) => r.id))
  const slots = new Set(existingReqs.map((r) => `${r.country}:${r.order}`))
  const reqs = []
  for (const r of content.requirements) {
    if (reqIds.has(r.id)) continue
    if (slots.has(`${r.country}:${r.order}`)) {
      log.warn({ id: r.id, country: r.country, order: r.order }, 'seed: requirement slot taken')
      continue
    }
    slots.add(`${r.country}:${r.order}`)
    reqs.push({
      id: r.id,
      country: r.country,
      order: r.order,
      kind: r.kind,
      titleEs: r.titleEs,
      titleEn: r.titleEn,
      source: r.source,
      status: r.status,
    })
  }
  created.requirement = (await tx.requirement.createMany({ data: reqs })).count

  const existingSettings = new Set(
    (await tx.setting.findMany({ select: { key: true } })).map((s) => s.key),
  )
  const settings = Object.entries(DEFAULT_SETTINGS)
    .filter(([key]) => !existingSettings.has(key))
    .map(([key, value]) => ({ key, value }))
  created.setting = (await tx.setting.createMany({ data: settings })).count

  return created
}

async function ids(rows: Promise<{ id: string }[]>): Promise<Set<string>> {
  return new Set((await rows).map((r) => r.id))
}

/** A random password for the first admin: 24 characters of base64url (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

async function ensureAdmin(
  db: Db,
  options: SeedOptions,
): Promise<{ adminCreated: boolean; generatedPassword?: string }> {
  const email = options.adminEmail.trim().toLowerCase()
  if (await db.staff.findUnique({ where: { email }, select: { id: true } })) {
    return { adminCreated: false }
  }
  const generated = options.adminPassword ? undefined : generatePassword()
  const password = options.adminPassword ?? generated!
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id })
  try {
    await db.staff.create({
      data: {
        id: randomUUID(),
        email,
        name: ADMIN_NAME,
        passwordHash,
        role: 'admin',
        mustChangePassword: generated !== undefined,
      },
    })
  } catch (err) {
    // another process created it between the lookup and the insert
    if ((err as { code?: string }).code === 'P2002') return { adminCreated: false }
    throw err
  }
  options.log.info(
    { email, passwordSource: generated ? 'generated' : 'ADMIN_PASSWORD' },
    'seed: first admin created',
  )
  return generated ? { adminCreated: true, generatedPassword: generated } : { adminCreated: true }
}

/** Row counts of the tables the seed fills. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const [
    programme,
    phase,
    region,
    rubro,
    partner,
    contentFact,
    requirement,
    faqEntry,
    staff,
    setting,
  ] = await Promise.all([
    db.programme.count(),
    db.phase.count(),
    db.region.count(),
    db.rubro.count(),
    db.partner.count(),
    db.contentFact.count(),
    db.requirement.count(),
    db.faqEntry.count(),
    db.staff.count(),
    db.setting.count(),
  ])
  return {
    programme,
    phase,
    region,
    rubro,
    partner,
    contentFact,
    requirement,
    faqEntry,
    staff,
    setting,
  }
}
