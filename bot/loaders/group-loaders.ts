import { hotPathOf, type Db } from '../../app/db/open.ts'
import type { Loader } from '../pipeline/pipeline.ts'
import type { ContactRow, Queryable } from '../pipeline/conversation-store.ts'
import { reminderTimes, trainingVars } from '../trainings/training-reminders.ts'
import { formatDate, formatTime, timeZoneOf } from '../trainings/training-time.ts'

export { formatDate, formatTime }

// Loaders of the group journeys: her group (journey 5), its checklist (6), trainings (7) and
// her cases (8). Texts never come from here, only data: option labels are i18n keys with vars
// (names from the database in her language).

type Option = { id: string; key: string; vars?: Record<string, unknown> }

const HOUR = 3_600_000
/** Options shown at once: a numbered list a phone keypad answers with one digit. */
const MAX_LISTED = 8
const ROLES = new Set(['presidenta', 'secretaria', 'tesorera', 'miembro'])

function db(q: Queryable): Db {
  return q as unknown as Db
}

function english(contact: ContactRow | null): boolean {
  return contact?.locale === 'en'
}

function pick(contact: ContactRow | null, es: string, en: string): string {
  return english(contact) && en.trim() !== '' ? en : es
}

function countryOf(contact: ContactRow | null): 'BO' | 'PA' | null {
  return contact?.country === 'BO' || contact?.country === 'PA' ? contact.country : null
}

function stringArg(args: Record<string, unknown> | undefined, name: string): string | null {
  const value = args?.[name]
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** "05/03/2026" in her country's time. */
function formatDay(at: Date, country: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timeZoneOf(country),
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(at)
}

/** A source without its confidence tags: "gob.bo 2932 · [confirmado]" → "gob.bo 2932". */
function cleanSource(source: string): string {
  return source
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[\s·;,]+$/g, '')
    .replace(/^[\s·;,]+/g, '')
    .trim()
}

async function membershipOf(q: Queryable, contact: ContactRow | null) {
  if (!contact) return null
  // Most women asking have no group yet: one indexed lookup answers that without the five
  // queries of the include below (on SQLite outside a transaction, on the direct path).
  const member = await hotPathOf(db(q)).$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "GroupMember" WHERE "contactId" = ${contact.id} LIMIT 1`
  if (member.length === 0) return null
  return db(q).groupMember.findFirst({
    where: { contactId: contact.id },
    orderBy: { joinedAt: 'asc' },
    include: { group: { include: { region: true, rubro: true, currentPhase: true } } },
  })
}

/** Her programme's phase `order` of `total`, with the next one's name (null at the last). */
async function phaseInfo(
  q: Queryable,
  contact: ContactRow | null,
  programmeId: string | null,
  currentOrder: number | null,
) {
  if (!programmeId) return null
  const phases = await db(q).phase.findMany({ where: { programmeId }, orderBy: { order: 'asc' } })
  if (phases.length === 0) return null
  const index = Math.max(
    0,
    phases.findIndex((p) => p.order === (currentOrder ?? phases[0]!.order)),
  )
  const current = phases[index]!
  const next = phases[index + 1]
  return {
    phaseOrder: index + 1,
    phaseTotal: phases.length,
    phaseName: pick(contact, current.nameEs, current.nameEn),
    nextPhase: next ? pick(contact, next.nameEs, next.nameEn) : null,
  }
}

/** Her group as she sees it, or null when she has none. */
export const myGroup: Loader = async (q, contact) => {
  const membership = await membershipOf(q, contact)
  if (!membership) return null
  const g = membership.group
  const checklist = await db(q).groupRequirement.groupBy({
    by: ['status'],
    where: { groupId: g.id },
    _count: { _all: true },
  })
  const count = (status: string) =>
    checklist.filter((c) => c.status === status).reduce((n, c) => n + c._count._all, 0)
  return {
    id: g.id,
    name: g.name,
    country: g.country,
    region: g.region?.name ?? '—',
    municipality: g.municipality ?? '—',
    rubro: g.rubro ? pick(contact, g.rubro.nameEs, g.rubro.nameEn) : '—',
    members: g.memberCount ?? '—',
    role: ROLES.has(membership.role) ? membership.role : 'miembro',
    inviteCode: g.inviteCode,
    done: count('done'),
    submitted: count('submitted'),
    // the country's whole checklist: a group registered before an item was added lacks its row
    total: await db(q).requirement.count({ where: { country: g.country } }),
    ...(await phaseInfo(q, contact, g.programmeId, g.currentPhase?.order ?? null)),
  }
}

/** The first phase of her country's programme: where a group she registers now starts. */
export const firstPhase: Loader = async (q, contact) => {
  const country = countryOf(contact)
  if (!country) return null
  const programme = await db(q).programme.findFirst({ where: { country }, orderBy: { id: 'asc' } })
  return phaseInfo(q, contact, programme?.id ?? null, null)
}

/** The departments (Bolivia) or provinces and comarcas (Panama) of her country. */
export const regionOptions: Loader = async (q, contact) => {
  const country = countryOf(contact)
  if (!country) return null
  const regions = await db(q).region.findMany({ where: { country, active: true } })
  // Bolivia's departments by name; Panama's provinces by their number, then the comarcas
  const rank = (r: { id: string; kind: string }) =>
    r.kind === 'provincia' ? Number(r.id.split('-')[1]) || 0 : 100
  const sorted = regions.toSorted((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'es'))
  return sorted.map((r): Option => ({ id: r.id, key: 'group.option_name', vars: { name: r.name } }))
}

/** The sectors (rubros) staff keep active. */
export const rubroOptions: Loader = async (q, contact) => {
  const rubros = await db(q).rubro.findMany({ where: { active: true } })
  // "Otro" last, the rest in the seed's order
  const sorted = rubros.toSorted((a, b) => Number(a.id === 'otro') - Number(b.id === 'otro'))
  return sorted.map((r): Option => ({
    id: r.id,
    key: 'group.option_name',
    vars: { name: pick(contact, r.nameEs, r.nameEn) },
  }))
}

/** The group an invite code opens (args `{ code }`), or null. */
export const groupByCode: Loader = async (q, _contact, args) => {
  const code = stringArg(args, 'code')?.toUpperCase()
  if (!code) return null
  const group = await db(q).group.findUnique({
    where: { inviteCode: code },
    include: { region: true },
  })
  if (!group || group.status === 'inactive') return null
  return {
    id: group.id,
    name: group.name,
    region: group.region?.name ?? '—',
    municipality: group.municipality ?? '—',
  }
}

// ——— journey 6: requirements ———

/** Her group's checklist items of one kind (args `{ kind: 'step' | 'document' }`). */
export const checklist: Loader = async (q, contact, args) => {
  const membership = await membershipOf(q, contact)
  if (!membership) return null
  const kind = stringArg(args, 'kind') === 'document' ? 'document' : 'step'
  const requirements = await db(q).requirement.findMany({
    where: { country: membership.group.country, kind },
    orderBy: { order: 'asc' },
    include: { groups: { where: { groupId: membership.groupId } } },
  })
  return requirements.map((r): Option => {
    const status = r.groups[0]?.status ?? 'pending'
    return {
      id: r.id,
      key: `requirements.item_${['done', 'submitted', 'rejected'].includes(status) ? status : 'pending'}`,
      vars: {
        title: pick(contact, r.titleEs, r.titleEn),
        mark: r.status === 'por_confirmar' ? ' *' : '',
      },
    }
  })
}

/** One checklist item with its fact (args `{ id }`), or null. */
export const requirementDetail: Loader = async (q, contact, args) => {
  const id = stringArg(args, 'id')
  const membership = await membershipOf(q, contact)
  if (!id || !membership) return null
  const r = await db(q).requirement.findFirst({
    where: { id, country: membership.group.country },
    include: { groups: { where: { groupId: membership.groupId } } },
  })
  if (!r) return null
  const fact = await db(q).contentFact.findUnique({ where: { id } })
  const row = r.groups[0]
  // staff confirm facts in the panel: the fact's status, when there is one, is the current one
  const confidence = fact?.status ?? r.status
  const text = fact ? pick(contact, fact.textEs, fact.textEn) : pick(contact, r.titleEs, r.titleEn)
  return {
    id: r.id,
    title: pick(contact, r.titleEs, r.titleEn),
    text: text.length > 380 ? pick(contact, r.titleEs, r.titleEn) : text,
    source: cleanSource(fact?.source ?? r.source) || '—',
    confidence: ['confirmado', 'secundario'].includes(confidence) ? confidence : 'por_confirmar',
    status: row?.status ?? 'pending',
    reason: row?.rejectReason ?? '—',
  }
}

// ——— journey 7: trainings ———

async function contextOf(q: Queryable, contact: ContactRow | null) {
  const membership = await membershipOf(q, contact)
  return {
    country: countryOf(contact) ?? membership?.group.country ?? null,
    // where her group meets comes first; her own region when she has no group
    regionId: membership?.group.regionId ?? contact?.regionId ?? null,
    rubroId: membership?.group.rubroId ?? null,
    groupId: membership?.groupId ?? null,
  }
}

function trainingLabel(
  t: { title: string; startsAt: Date; country: string },
  contact: ContactRow | null,
) {
  return {
    title: t.title,
    date: formatDate(t.startsAt, t.country, contact?.locale ?? null),
    time: formatTime(t.startsAt, t.country),
  }
}

/** Trainings still to come in her country, for her region and sector (or for everyone). */
export const upcomingTrainings: Loader = async (q, contact, _args, now = new Date()) => {
  const { country, regionId, rubroId } = await contextOf(q, contact)
  if (!country) return null
  const trainings = await db(q).training.findMany({
    where: {
      country,
      status: 'scheduled',
      startsAt: { gt: now },
      ...(regionId && { OR: [{ regionId: null }, { regionId }] }),
      ...(rubroId && { AND: [{ OR: [{ rubroId: null }, { rubroId }] }] }),
    },
    orderBy: { startsAt: 'asc' },
    take: MAX_LISTED,
  })
  return trainings.map((t): Option => ({
    id: t.id,
    key: 'trainings.option',
    vars: trainingLabel(t, contact),
  }))
}

/** One training (args `{ id }`) with seats left, her registration and reminder times. */
export const training: Loader = async (q, contact, args, now = new Date()) => {
  const id = stringArg(args, 'id')
  if (!id) return null
  const t = await db(q).training.findUnique({ where: { id } })
  if (!t) return null
  const registered = await db(q).trainingRegistration.count({
    where: { trainingId: t.id, status: 'registered' },
  })
  const mine = contact
    ? await db(q).trainingRegistration.findUnique({
        where: { trainingId_contactId: { trainingId: t.id, contactId: contact.id } },
      })
    : null
  const seats = Math.max(0, t.capacity - registered)
  const times = reminderTimes(t, now)
  const started = t.startsAt.getTime() <= now.getTime()
  const state =
    t.status === 'cancelled'
      ? 'cancelled'
      : mine?.status === 'registered'
        ? started
          ? 'attended'
          : 'registered'
        : started
          ? 'past'
          : seats === 0
            ? 'full'
            : 'open'
  return {
    id: t.id,
    ...trainingVars(t, contact?.locale ?? null),
    seats,
    state,
    rated: mine?.satisfaction !== null && mine?.satisfaction !== undefined,
    remind24At: times.day?.toISOString() ?? null,
    remind1At: times.hour?.toISOString() ?? null,
    surveyAt: times.survey.toISOString(),
  }
}

/**
 * Her registrations: trainings to come, and those of the last 30 days (to rate them). A
 * cancelled training is gone from her list: she was told in a notice (admin/trainings).
 */
export const myTrainings: Loader = async (q, contact, _args, now = new Date()) => {
  if (!contact) return null
  const rows = await db(q).trainingRegistration.findMany({
    where: {
      contactId: contact.id,
      status: 'registered',
      training: {
        status: { not: 'cancelled' },
        endsAt: { gt: new Date(now.getTime() - 30 * 24 * HOUR) },
      },
    },
    include: { training: true },
    orderBy: { training: { startsAt: 'asc' } },
    take: MAX_LISTED,
  })
  return rows.map((r): Option => ({
    id: r.trainingId,
    key: 'trainings.option',
    vars: trainingLabel(r.training, contact),
  }))
}

// ——— journey 8: her cases ———

const CASE_TOPICS = new Set(['legal', 'technical', 'training', 'human', 'other'])
const CASE_STATUSES = new Set(['open', 'pending', 'resolved', 'closed'])

function caseVars(
  c: { id: number; topic: string; status: string; lastActivityAt: Date; country: string | null },
  contact: ContactRow | null,
) {
  return {
    number: `C-${c.id}`,
    topic: CASE_TOPICS.has(c.topic) ? c.topic : 'other',
    status: CASE_STATUSES.has(c.status) ? c.status : 'open',
    date: formatDay(c.lastActivityAt, c.country ?? contact?.country ?? null),
  }
}

/** Her cases, most recently active first. */
export const myCases: Loader = async (q, contact) => {
  if (!contact) return null
  const cases = await db(q).case.findMany({
    where: { contactId: contact.id },
    orderBy: { lastActivityAt: 'desc' },
    take: MAX_LISTED,
  })
  if (cases.length === 0) return null
  return cases.map((c): Option => ({
    id: String(c.id),
    key: 'mycases.option',
    vars: caseVars(c, contact),
  }))
}

/** One of her cases (args `{ id }`) with the team's last reply, or null. */
export const caseDetail: Loader = async (q, contact, args) => {
  const id = Number(stringArg(args, 'id'))
  if (!contact || !Number.isInteger(id)) return null
  const c = await db(q).case.findFirst({ where: { id, contactId: contact.id } })
  if (!c) return null
  const reply = await db(q).caseMessage.findFirst({
    where: { caseId: c.id, kind: 'reply' },
    orderBy: { createdAt: 'desc' },
  })
  const text = reply?.text ?? null
  return {
    id: String(c.id),
    ...caseVars(c, contact),
    reply: text && text.length > 300 ? `${text.slice(0, 300)}…` : text,
  }
}

export const groupLoaders: Record<string, Loader> = {
  myGroup,
  firstPhase,
  regionOptions,
  rubroOptions,
  groupByCode,
  checklist,
  requirementDetail,
  upcomingTrainings,
  training,
  myTrainings,
  myCases,
  caseDetail,
}
