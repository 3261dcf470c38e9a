// Demo data for trying the admin panel: six groups in both countries with members, trainings in
// the coming weeks and three cases with messages. Everything invented carries "[Demo]" (group
// names, training titles, case messages) and ids starting with "demo-", so it is easy to spot and
// delete. Idempotent: rows are created when missing and never updated.
//
//   npm run seed:demo          (DATABASE_URL, default file:./data/minka.db)
import { parseConfig } from '../../app/config.ts'
import { migrateDatabase } from '../../app/db/migrate.ts'
import { openDatabase, tuneDatabase } from '../../app/db/open.ts'
import type { Db } from '../../app/db/open.ts'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from './seed.ts'
import type { SeedLog } from './seed.ts'

export const DEMO = '[Demo] '

type DemoGroup = {
  key: string
  name: string
  country: 'BO' | 'PA'
  regionId: string
  municipality: string
  rubroId: string
  programmeId: 'BO-ATC' | 'PA-ECV'
  phase: number
  members: string[]
}

const GROUPS: DemoGroup[] = [
  {
    key: 'bo1',
    name: 'Productoras de Quinua',
    country: 'BO',
    regionId: 'BO-OR',
    municipality: 'Challapata',
    rubroId: 'agricultura',
    programmeId: 'BO-ATC',
    phase: 1,
    members: ['Ana', 'Basilia', 'Carmen', 'Dora'],
  },
  {
    key: 'bo2',
    name: 'Tejedoras del Valle',
    country: 'BO',
    regionId: 'BO-CB',
    municipality: 'Tiquipaya',
    rubroId: 'artesania',
    programmeId: 'BO-ATC',
    phase: 2,
    members: ['Elena', 'Felipa', 'Gladys'],
  },
  {
    key: 'bo3',
    name: 'Servicios Múltiples Chapacas',
    country: 'BO',
    regionId: 'BO-TJ',
    municipality: 'San Lorenzo',
    rubroId: 'servicios-multiples',
    programmeId: 'BO-ATC',
    phase: 3,
    members: ['Hilda', 'Irma', 'Juana'],
  },
  {
    key: 'pa1',
    name: 'Artesanas de Antón',
    country: 'PA',
    regionId: 'PA-2',
    municipality: 'Antón',
    rubroId: 'artesania',
    programmeId: 'PA-ECV',
    phase: 1,
    members: ['Karina', 'Lucía', 'Marta'],
  },
  {
    key: 'pa2',
    name: 'Agricultoras de Santiago',
    country: 'PA',
    regionId: 'PA-9',
    municipality: 'Santiago',
    rubroId: 'agricultura',
    programmeId: 'PA-ECV',
    phase: 2,
    members: ['Nélida', 'Olga', 'Petra', 'Rosa'],
  },
  {
    key: 'pa3',
    name: 'Cosmética Natural de Boquete',
    country: 'PA',
    regionId: 'PA-4',
    municipality: 'Boquete',
    rubroId: 'cosmetica',
    programmeId: 'PA-ECV',
    phase: 3,
    members: ['Sara', 'Teresa', 'Úrsula'],
  },
]

const ROLES = ['presidenta', 'secretaria', 'tesorera']

type DemoTraining = {
  key: string
  title: string
  topic: string
  country: 'BO' | 'PA'
  regionId: string
  rubroId?: string
  modality: 'presencial' | 'virtual'
  place?: string
  link?: string
  inDays: number
  hours: number
  /** Group keys whose members are registered. */
  groups: string[]
}

// topics are the training themes of the content (PRG-80…PRG-89); dates and places are invented
const TRAININGS: DemoTraining[] = [
  {
    key: 't1',
    title: 'Gestión y administración de la cooperativa',
    topic: 'PRG-80',
    country: 'BO',
    regionId: 'BO-OR',
    modality: 'virtual',
    link: 'https://example.org/demo-capacitacion',
    inDays: 7,
    hours: 2,
    groups: ['bo1'],
  },
  {
    key: 't2',
    title: 'Valores y principios cooperativos',
    topic: 'PRG-81',
    country: 'BO',
    regionId: 'BO-CB',
    rubroId: 'artesania',
    modality: 'presencial',
    place: '[Demo] Sede comunal de Tiquipaya',
    inDays: 12,
    hours: 3,
    groups: ['bo2'],
  },
  {
    key: 't3',
    title: 'Contabilidad básica para cooperativas',
    topic: 'PRG-86',
    country: 'PA',
    regionId: 'PA-9',
    modality: 'presencial',
    place: '[Demo] Casa comunal de Santiago',
    inDays: 10,
    hours: 3,
    groups: ['pa2'],
  },
  {
    key: 't4',
    title: 'Emprendimiento y asociación cooperativa',
    topic: 'PRG-85',
    country: 'PA',
    regionId: 'PA-2',
    modality: 'virtual',
    link: 'https://example.org/demo-taller',
    inDays: 21,
    hours: 2,
    groups: ['pa1', 'pa3'],
  },
]

type DemoCase = {
  key: string
  group: string
  topic: 'legal' | 'technical' | 'training'
  status: 'open' | 'pending' | 'resolved'
  daysAgo: number
  messages: { kind: 'inbound' | 'reply' | 'note' | 'bot'; text: string }[]
}

const CASES: DemoCase[] = [
  {
    key: 'c1',
    group: 'bo1',
    topic: 'legal',
    status: 'open',
    daysAgo: 0,
    messages: [
      {
        kind: 'inbound',
        text: '¿Cuántas socias necesitamos como mínimo para formar la cooperativa?',
      },
      { kind: 'bot', text: 'Pasé su pregunta a una persona del equipo del ministerio.' },
    ],
  },
  {
    key: 'c2',
    group: 'pa2',
    topic: 'technical',
    status: 'pending',
    daysAgo: 2,
    messages: [
      { kind: 'inbound', text: '¿Nos pueden ayudar con el estudio de viabilidad?' },
      { kind: 'reply', text: 'Sí. ¿Qué producen y cuántas socias son?' },
      { kind: 'note', text: 'Coordinar con la dirección regional.' },
    ],
  },
  {
    key: 'c3',
    group: 'pa3',
    topic: 'training',
    status: 'resolved',
    daysAgo: 6,
    messages: [
      { kind: 'inbound', text: '¿Habrá un taller en Chiriquí este mes?' },
      { kind: 'reply', text: 'Sí, hay un taller virtual de emprendimiento. Le inscribimos.' },
    ],
  },
]

const DAY = 86_400_000
const HOUR = 3_600_000

function contactId(group: string, i: number): string {
  return `demo-contact-${group}-${i + 1}`
}

/** Creates the demo rows that are missing. Needs the programme content (seedProgramme). */
export async function seedDemo(
  db: Db,
  options: { now?: Date; log: SeedLog; adminEmail?: string },
): Promise<Record<string, number>> {
  const now = options.now ?? new Date()
  const at = (ms: number) => new Date(now.getTime() + ms)

  for (const g of GROUPS) {
    const groupId = `demo-group-${g.key}`
    const phaseId = `${g.programmeId}-${g.phase}`
    await db.group.upsert({
      where: { id: groupId },
      update: {},
      create: {
        id: groupId,
        name: DEMO + g.name,
        country: g.country,
        regionId: g.regionId,
        municipality: g.municipality,
        rubroId: g.rubroId,
        memberCount: g.members.length,
        programmeId: g.programmeId,
        currentPhaseId: phaseId,
        inviteCode: `DEMO-${g.key.toUpperCase()}`,
        createdAt: at(-40 * DAY),
      },
    })
    for (let p = 1; p <= g.phase; p++) {
      await db.groupPhase.upsert({
        where: { id: `demo-phase-${g.key}-${p}` },
        update: {},
        create: {
          id: `demo-phase-${g.key}-${p}`,
          groupId,
          phaseId: `${g.programmeId}-${p}`,
          reachedAt: at((-40 + (p - 1) * 12) * DAY),
          note: `${DEMO}fase ${p}`,
        },
      })
    }
    for (const [i, name] of g.members.entries()) {
      const id = contactId(g.key, i)
      await db.contact.upsert({
        where: { id },
        update: {},
        create: {
          id,
          channel: 'web',
          channelUserId: `demo-${g.key}-${i + 1}`,
          displayName: `${DEMO}${name}`,
          locale: i === 2 ? 'en' : 'es',
          country: g.country,
          regionId: g.regionId,
          consentAt: at(-35 * DAY),
          firstInboundAt: at(-35 * DAY),
          lastInboundAt: at(-(i + 1) * DAY),
        },
      })
      await db.groupMember.upsert({
        where: { groupId_contactId: { groupId, contactId: id } },
        update: {},
        create: {
          id: `demo-member-${g.key}-${i + 1}`,
          groupId,
          contactId: id,
          role: ROLES[i] ?? 'miembro',
          joinedAt: at(-35 * DAY),
        },
      })
    }
    // the first checklist item done, the second submitted for review
    const checklist = await db.requirement.findMany({
      where: { country: g.country },
      orderBy: { order: 'asc' },
      take: 2,
    })
    for (const [i, r] of checklist.entries()) {
      await db.groupRequirement.upsert({
        where: { groupId_requirementId: { groupId, requirementId: r.id } },
        update: {},
        create: {
          id: `demo-req-${g.key}-${r.id}`,
          groupId,
          requirementId: r.id,
          status: i === 0 ? 'done' : 'submitted',
          submittedAt: at(-(10 - i * 5) * DAY),
        },
      })
    }
  }

  for (const t of TRAININGS) {
    const id = `demo-training-${t.key}`
    const startsAt = at(t.inDays * DAY)
    startsAt.setUTCHours(14, 0, 0, 0)
    await db.training.upsert({
      where: { id },
      update: {},
      create: {
        id,
        title: DEMO + t.title,
        description: `${DEMO}Capacitación de ejemplo: fecha, lugar y cupo inventados.`,
        topic: t.topic,
        modality: t.modality,
        place: t.place ?? null,
        link: t.link ?? null,
        startsAt,
        endsAt: new Date(startsAt.getTime() + t.hours * HOUR),
        capacity: 30,
        country: t.country,
        regionId: t.regionId,
        rubroId: t.rubroId ?? null,
        trainer: `${DEMO}Equipo del programa`,
      },
    })
    for (const key of t.groups) {
      const group = GROUPS.find((g) => g.key === key)!
      for (let i = 0; i < Math.min(2, group.members.length); i++) {
        await db.trainingRegistration.upsert({
          where: { trainingId_contactId: { trainingId: id, contactId: contactId(key, i) } },
          update: {},
          create: {
            id: `demo-reg-${t.key}-${key}-${i + 1}`,
            trainingId: id,
            contactId: contactId(key, i),
            groupId: `demo-group-${key}`,
            status: 'registered',
          },
        })
      }
    }
  }

  const admin = options.adminEmail
    ? await db.staff.findUnique({ where: { email: options.adminEmail.trim().toLowerCase() } })
    : null
  for (const c of CASES) {
    // Case ids are autoincrement: the first message's fixed id says whether the case exists
    const firstMessageId = `demo-case-${c.key}-1`
    if (await db.caseMessage.findUnique({ where: { id: firstMessageId } })) continue
    const group = GROUPS.find((g) => g.key === c.group)!
    const createdAt = at(-c.daysAgo * DAY - 3 * HOUR)
    const last = at(-c.daysAgo * DAY)
    const replied = c.messages.some((m) => m.kind === 'reply')
    await db.$transaction(async (tx) => {
      const row = await tx.case.create({
        data: {
          contactId: contactId(c.group, 0),
          groupId: `demo-group-${c.group}`,
          topic: c.topic,
          status: c.status,
          assigneeId: replied ? (admin?.id ?? null) : null,
          regionId: group.regionId,
          country: group.country,
          channel: 'web',
          firstResponseDueAt: new Date(createdAt.getTime() + 16 * HOUR),
          firstResponseAt: replied ? new Date(createdAt.getTime() + 2 * HOUR) : null,
          lastInboundAt: createdAt,
          lastActivityAt: last,
          resolvedAt: c.status === 'resolved' ? last : null,
          createdAt,
        },
      })
      for (const [i, m] of c.messages.entries()) {
        await tx.caseMessage.create({
          data: {
            id: `demo-case-${c.key}-${i + 1}`,
            caseId: row.id,
            kind: m.kind,
            staffId: m.kind === 'reply' || m.kind === 'note' ? (admin?.id ?? null) : null,
            text: DEMO + m.text,
            createdAt: new Date(createdAt.getTime() + i * HOUR),
          },
        })
      }
    })
  }

  const demo = { startsWith: 'demo-' }
  const counts = {
    group: await db.group.count({ where: { id: demo } }),
    contact: await db.contact.count({ where: { id: demo } }),
    groupMember: await db.groupMember.count({ where: { id: demo } }),
    groupPhase: await db.groupPhase.count({ where: { id: demo } }),
    groupRequirement: await db.groupRequirement.count({ where: { id: demo } }),
    training: await db.training.count({ where: { id: demo } }),
    trainingRegistration: await db.trainingRegistration.count({ where: { id: demo } }),
    case: await db.case.count({
      where: { messages: { some: { id: { startsWith: 'demo-case-' } } } },
    }),
    caseMessage: await db.caseMessage.count({ where: { id: demo } }),
  }
  options.log.info({ counts }, 'seed: demo data ready')
  return counts
}

async function main(): Promise<void> {
  const parsed = parseConfig(process.env)
  if (!parsed.ok) {
    console.error(parsed.message)
    process.exit(1)
  }
  const config = parsed.config
  const log = createLogger(config.LOG_LEVEL)
  const database = openDatabase(config.DATABASE_URL, { poolSize: 2 })
  const { db, target } = database
  try {
    await migrateDatabase(db, target)
    await tuneDatabase(database)
    const seeded = await seedProgramme(db, {
      adminEmail: config.ADMIN_EMAIL,
      adminPassword: config.ADMIN_PASSWORD,
      log,
    })
    if (seeded.generatedPassword) {
      // printed once, to the terminal only (never to the log)
      process.stdout.write(
        `\nFirst admin: ${config.ADMIN_EMAIL}\nPassword (change it at first login): ${seeded.generatedPassword}\n\n`,
      )
    }
    await seedDemo(db, { log, adminEmail: config.ADMIN_EMAIL })
  } finally {
    await db.$disconnect()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
