// Loaders for the content journeys: what a cooperative is (`coop`), how to form one in her
// country (`formation`) and the FAQ (`faq`, and the engine's free-text hook `faqSearch`).
// Every fact comes from the database (ContentFact, Requirement, Phase, FaqEntry), which staff
// edit; locales only hold the frames around them. Loaders read, never write, and return null
// for "nothing".
import type { Db } from '../../app/db/open.ts'
import type { ContactRow, Queryable } from '../pipeline/conversation-store.ts'
import type { Loader } from '../pipeline/pipeline.ts'
import {
  FAQ_STALE_CHECK_MS,
  FaqIndex,
  StampedCache,
  readFaqStamp,
  type FaqDoc,
} from './faq-index.ts'
import {
  afterHedge,
  countryOf,
  langOf,
  shorten,
  sourceName,
  statusOf,
  variantOf,
  weakest,
  withoutTags,
  type Country,
  type Lang,
  type Status,
  type Variant,
} from './fact-text.ts'
import { languageOption, readEnabledLanguages } from '../i18n-overrides/languages.ts'

/** A fact's text in a card: the frames add at most ~250 characters, messages stay ≤ 600. */
export const MAX_TEXT = 300
/** An FAQ answer: its frames are short. */
export const MAX_ANSWER = 420

type Args = Record<string, unknown> | undefined

/** Loaders get a Prisma-ish client: the PrismaClient or an interactive transaction. */
function db(q: Queryable): Db {
  return q as Db
}

/** Her country and language: what the flow passes (it may have just changed), else her row. */
function who(contact: ContactRow | null, args: Args): { country: Country | null; lang: Lang } {
  return {
    country: countryOf(args?.country) ?? countryOf(contact?.country),
    lang: langOf(args?.locale ?? contact?.locale),
  }
}

/** A card's position: the id she chose, else the first. */
function positionOf(ids: readonly string[], at: unknown): number {
  const i = typeof at === 'string' ? ids.indexOf(at) : -1
  return i >= 0 ? i : 0
}

type Option = { id: string; key: string; vars?: Record<string, unknown> }

/** "Next", "previous", a person when the fact is not confirmed, and the ways out. */
function navigation(
  prefix: string,
  ids: readonly string[],
  i: number,
  pending: boolean,
  exits: string[],
): Option[] {
  return [
    ...(i + 1 < ids.length ? [{ id: ids[i + 1]!, key: `${prefix}.next` }] : []),
    ...(i > 0 ? [{ id: ids[i - 1]!, key: `${prefix}.prev` }] : []),
    ...(pending ? [{ id: 'human', key: `${prefix}.human` }] : []),
    ...exits.map((id) => ({ id, key: `${prefix}.${id}` })),
  ]
}

// ——— coop: what a cooperative is ———

/** The cards of each topic, by fact id (FAQ-xx: a FaqEntry answer), for her country. */
export const COOP_TOPICS: Record<string, Record<Country | 'none', readonly string[]>> = {
  what: {
    BO: ['COOP-01', 'COOP-02', 'COOP-04', 'COOP-03'],
    PA: ['COOP-01', 'COOP-02', 'COOP-05', 'COOP-03'],
    none: ['COOP-01', 'COOP-02', 'COOP-03'],
  },
  values: sameEverywhere(['COOP-10', 'COOP-11']),
  principles: sameEverywhere(['COOP-21', 'COOP-22', 'COOP-23', 'COOP-24', 'COOP-25', 'COOP-26', 'COOP-27']), // prettier-ignore
  bolivia: {
    BO: ['BO-01', 'COOP-31', 'COOP-32', 'COOP-33', 'COOP-34', 'COOP-35', 'COOP-36'],
    PA: [],
    none: [],
  },
  difference: sameEverywhere(['FAQ-03', 'FAQ-04']),
}

function sameEverywhere(ids: readonly string[]): Record<Country | 'none', readonly string[]> {
  return { BO: ids, PA: ids, none: ids }
}

export type Card = {
  id: string
  n: number
  total: number
  title: string
  text: string
  variant: Variant
  /** Not confirmed: she is offered a person. */
  pending: boolean
}

type CardRow = { id: string; title: string; text: string; status: Status; faq: boolean }

/** The rows behind a topic's cards that exist and are for her country, in order. */
async function coopRows(q: Queryable, args: Args, contact: ContactRow | null) {
  const { country, lang } = who(contact, args)
  const topic = typeof args?.topic === 'string' ? COOP_TOPICS[args.topic] : undefined
  const ids = topic?.[country ?? 'none'] ?? []
  if (ids.length === 0) return { rows: [] as CardRow[], lang }
  const countries = ['ambos', ...(country ? [country] : [])]
  const [facts, faqs] = await Promise.all([
    db(q).contentFact.findMany({ where: { id: { in: [...ids] }, country: { in: countries } } }),
    db(q).faqEntry.findMany({
      where: { id: { in: [...ids] }, country: { in: countries }, published: true },
    }),
  ])
  const byId = new Map<string, CardRow>()
  for (const f of facts) {
    const en = lang === 'en'
    byId.set(f.id, {
      id: f.id,
      title: en ? f.titleEn : f.titleEs,
      text: en ? f.textEn : f.textEs,
      status: statusOf(f.status),
      faq: false,
    })
  }
  for (const f of faqs) {
    const en = lang === 'en'
    byId.set(f.id, {
      id: f.id,
      title: en ? f.questionEn : f.questionEs,
      text: en ? f.answerEn : f.answerEs,
      status: statusOf(f.status),
      faq: true,
    })
  }
  return { rows: ids.flatMap((id) => byId.get(id) ?? []), lang }
}

/** One card, as the coop frames show it. FAQ answers already carry their own caveats. */
function card(row: CardRow, i: number, total: number): Card {
  const variant = row.faq ? 'plain' : variantOf(row.status)
  // FAQ answers are written to fit (≤ 400 characters, checked) and end with their caveat
  const text = shorten(withoutTags(row.text), row.faq ? MAX_ANSWER : MAX_TEXT)
  return {
    id: row.id,
    n: i + 1,
    total,
    title: shorten(withoutTags(row.title), 120),
    text: variant === 'hedged' ? afterHedge(text) : variant === 'pending' ? '' : text,
    variant,
    pending: row.status === 'por_confirmar',
  }
}

/** args `{ topic, at?, country?, locale? }`: the card she is on. */
export const coopCard: Loader = async (q, contact, args) => {
  const { rows } = await coopRows(q, args, contact)
  if (rows.length === 0) return null
  const i = positionOf(
    rows.map((r) => r.id),
    args?.at,
  )
  return card(rows[i]!, i, rows.length)
}

/** Same args: the options under the card. */
export const coopNav: Loader = async (q, contact, args) => {
  const { rows } = await coopRows(q, args, contact)
  if (rows.length === 0) return null
  const ids = rows.map((r) => r.id)
  const i = positionOf(ids, args?.at)
  return navigation('coop', ids, i, rows[i]!.status === 'por_confirmar', ['other_topic', 'menu'])
}

// ——— formation: the legal steps and the programme's accompaniment ———

/** The programme that accompanies groups in each country (Programme ids of the seed). */
export const PROGRAMME_OF: Record<Country, string> = { BO: 'BO-ATC', PA: 'PA-ECV' }

/**
 * Where the programme accompanies each legal step: the phase order of PROGRAMME_OF. This is a
 * product choice (content/README.md rule 7), not a legal fact: the programme's phases are its
 * own organisation, and the texts say so. A step staff add later inherits the phase of the
 * step before it.
 *
 * Bolivia (PRG-50–53): the group decides to form a cooperative when the programme is presented
 * (phase 2); the legal steps are the technical and legal advice of phase 3; the AFCOOP
 * resolution comes under follow-up (phase 4). Panama (PRG-40–42): agreeing as a group is the
 * community outreach (1); letter, seminar, statute, study, assembly and resolution are the
 * training phase, which includes legalising the cooperative (2); registering its bodies starts
 * the activation (3).
 */
export const STEP_PHASE: Record<string, number> = {
  'BO-20': 2,
  'BO-21': 3,
  'BO-22': 3,
  'BO-23': 3,
  'BO-24': 3,
  'BO-25': 3,
  'BO-26': 3,
  'BO-27': 3,
  'BO-28': 4,
  'PA-19': 1,
  'PA-20': 2,
  'PA-21': 2,
  'PA-22': 2,
  'PA-23': 2,
  'PA-24': 2,
  'PA-25': 2,
  'PA-26': 3,
}

/** The law and the registry office named in the introduction (fact ids). */
const FRAMEWORK: Record<Country, { law: string; authority: string }> = {
  BO: { law: 'BO-04', authority: 'BO-14' },
  PA: { law: 'PA-01', authority: 'PA-10' },
}

const COUNTRY_NAME: Record<Country, Record<Lang, string>> = {
  BO: { es: 'Bolivia', en: 'Bolivia' },
  PA: { es: 'Panamá', en: 'Panama' },
}

export type FormationStep = Omit<Card, 'title'> & {
  title: string
  source: string
  phase: number
  phases: number
  phaseName: string
  /** Her first card in this visit: the introduction goes first. */
  first: boolean
  /** Opened at her group's phase: the phase she is told about. */
  groupPhase: number | null
  groupPhaseName: string
  country: string
  intro: 'plain' | 'hedged' | 'short'
  law: string
  authority: string
}

type StepRow = {
  id: string
  title: string
  text: string
  status: Status
  source: string
  phase: number
}

async function formationData(q: Queryable, country: Country, lang: Lang) {
  const en = lang === 'en'
  const frameworkIds = Object.values(FRAMEWORK[country])
  const [reqs, phases] = await Promise.all([
    db(q).requirement.findMany({ where: { country, kind: 'step' }, orderBy: { order: 'asc' } }),
    db(q).phase.findMany({ where: { programmeId: PROGRAMME_OF[country] }, orderBy: { order: 'asc' } }), // prettier-ignore
  ])
  const facts = await db(q).contentFact.findMany({
    where: { id: { in: [...reqs.map((r) => r.id), ...frameworkIds] } },
  })
  const factById = new Map(facts.map((f) => [f.id, f]))
  let phase = phases[0]?.order ?? 1
  const steps: StepRow[] = reqs.map((r) => {
    const fact = factById.get(r.id)
    phase = STEP_PHASE[r.id] ?? phase
    return {
      id: r.id,
      title: en ? r.titleEn : r.titleEs,
      text: fact ? (en ? fact.textEn : fact.textEs) : '',
      // a step is only as certain as its weakest row; a step without its fact says nothing
      status: fact ? weakest(statusOf(r.status), statusOf(fact.status)) : statusOf(r.status),
      source: fact?.source.trim() || r.source.trim(),
      phase,
    }
  })
  const law = factById.get(FRAMEWORK[country].law)
  const authority = factById.get(FRAMEWORK[country].authority)
  return { steps, phases, law, authority, en }
}

/** args `{ at?, country?, locale? }`: the step she is on, with its accompaniment. */
export const formationStep: Loader = async (q, contact, args) => {
  const { country, lang } = who(contact, args)
  if (!country) return null
  const { steps, phases, law, authority, en } = await formationData(q, country, lang)
  if (steps.length === 0) return null
  const ids = steps.map((s) => s.id)
  const first = typeof args?.at !== 'string' || !ids.includes(args.at)
  let i = positionOf(ids, args?.at)
  let groupPhase: number | null = null
  if (first) {
    groupPhase = await groupPhaseOf(q, contact, country)
    if (groupPhase !== null) {
      const opening = steps.findIndex((s) => s.phase >= groupPhase!)
      i = opening >= 0 ? opening : steps.length - 1
    }
  }
  const step = steps[i]!
  const phase = phases.find((p) => p.order === step.phase)
  const group = groupPhase === null ? undefined : phases.find((p) => p.order === groupPhase)
  const variant = variantOf(step.status)
  const text = shorten(withoutTags(step.text), MAX_TEXT)
  // the law is the fact the introduction states; the office is only named (PA-10 is
  // [por confirmar] for its seed capital, not for granting legal status)
  const lawStatus = law ? statusOf(law.status) : 'por_confirmar'
  const intro = !authority || lawStatus === 'por_confirmar' ? 'short' : variantOf(lawStatus) === 'hedged' ? 'hedged' : 'plain' // prettier-ignore
  const result: FormationStep = {
    id: step.id,
    n: i + 1,
    total: steps.length,
    title: shorten(withoutTags(step.title), 120),
    text: variant === 'pending' ? '' : variant === 'hedged' ? afterHedge(text) : text,
    source: sourceName(step.source, lang),
    variant,
    pending: variant === 'pending',
    phase: step.phase,
    phases: phases.length,
    phaseName: phase ? (en ? phase.nameEn : phase.nameEs) : '',
    first,
    groupPhase,
    groupPhaseName: group ? (en ? group.nameEn : group.nameEs) : '',
    country: COUNTRY_NAME[country][lang],
    intro,
    law: law ? withoutTags(en ? law.titleEn : law.titleEs) : '',
    authority: authority ? withoutTags(en ? authority.titleEn : authority.titleEs) : '',
  }
  return result
}

/** Same args: the options under the step. */
export const formationNav: Loader = async (q, contact, args) => {
  const { country, lang } = who(contact, args)
  if (!country) return null
  const { steps } = await formationData(q, country, lang)
  if (steps.length === 0) return null
  const ids = steps.map((s) => s.id)
  let i = positionOf(ids, args?.at)
  if (!ids.includes(args?.at as string)) {
    const groupPhase = await groupPhaseOf(q, contact, country)
    if (groupPhase !== null) {
      const opening = steps.findIndex((s) => s.phase >= groupPhase)
      i = opening >= 0 ? opening : steps.length - 1
    }
  }
  return navigation('formation', ids, i, steps[i]!.status === 'por_confirmar', ['menu'])
}

/** The phase (order) her group is in, if she belongs to a group of this country. */
async function groupPhaseOf(
  q: Queryable,
  contact: ContactRow | null,
  country: Country,
): Promise<number | null> {
  if (!contact) return null
  const member = await db(q).groupMember.findFirst({
    where: { contactId: contact.id, group: { country, status: { not: 'inactive' } } },
    orderBy: { joinedAt: 'desc' },
    select: { group: { select: { currentPhase: { select: { order: true, programmeId: true } } } } },
  })
  const phase = member?.group.currentPhase
  return phase && phase.programmeId === PROGRAMME_OF[country] ? phase.order : null
}

// ——— faq: browsing and searching ———

/** Questions per page of the list (plus "more", "write my question" and "menu"). */
export const FAQ_PAGE = 5
/** How long a process trusts its FAQ before checking the table for edits (faq-index.ts). */
export const FAQ_CACHE_MS = FAQ_STALE_CHECK_MS

type FaqRow = { id: string; question: string; answer: string; keywords: string; status: Status }

const cache = new StampedCache<{ rows: FaqRow[]; index: FaqIndex }>(FAQ_CACHE_MS)

/** Forgets the cached FAQ: the panel calls it after an edit, so this process answers anew. */
export function clearFaqCache(): void {
  cache.clear()
}

/** The published FAQ for her country (and `ambos`) in her language, cached per (country, lang). */
async function faqFor(q: Queryable, country: Country | null, lang: Lang, now = Date.now()) {
  const key = `${country ?? 'ambos'}:${lang}`
  return cache.get(
    key,
    now,
    () => readFaqStamp(db(q)),
    () => buildFaq(q, country, lang),
  )
}

async function buildFaq(q: Queryable, country: Country | null, lang: Lang) {
  const entries = await db(q).faqEntry.findMany({
    where: { published: true, country: { in: ['ambos', ...(country ? [country] : [])] } },
    orderBy: { id: 'asc' },
  })
  const en = lang === 'en'
  const rows: FaqRow[] = entries.map((e) => ({
    id: e.id,
    // an entry staff have not translated yet answers in Spanish
    question: (en && e.questionEn) || e.questionEs,
    answer: (en && e.answerEn) || e.answerEs,
    keywords: e.keywords,
    status: statusOf(e.status),
  }))
  const docs: FaqDoc[] = rows.map((r) => ({ ...r }))
  return { rows, index: new FaqIndex(docs) }
}

export type FaqAnswer = { id: string; question: string; answer: string; pending: boolean }

function answerOf(row: FaqRow): FaqAnswer {
  return {
    id: row.id,
    question: row.question,
    answer: shorten(row.answer, MAX_ANSWER),
    pending: row.status === 'por_confirmar',
  }
}

/** args `{ pick?, country?, locale? }`: one page of questions; `pick` a page or a question. */
export const faqList: Loader = async (q, contact, args) => {
  const { country, lang } = who(contact, args)
  const { rows } = await faqFor(q, country, lang)
  if (rows.length === 0) return null
  const pick = typeof args?.pick === 'string' ? args.pick : ''
  const pages = Math.ceil(rows.length / FAQ_PAGE)
  const asked = /^page-(\d+)$/.exec(pick)
  const at = rows.findIndex((r) => r.id === pick)
  const page = asked
    ? Math.min(Math.max(Number(asked[1]), 1), pages)
    : at >= 0
      ? Math.floor(at / FAQ_PAGE) + 1
      : 1
  const shown = rows.slice((page - 1) * FAQ_PAGE, page * FAQ_PAGE)
  return [
    ...shown.map((r) => ({ id: r.id, key: 'faq.question', vars: { question: r.question } })),
    ...(pages > 1
      ? [page < pages ? { id: `page-${page + 1}`, key: 'faq.more' } : { id: 'page-1', key: 'faq.first' }] // prettier-ignore
      : []),
    { id: 'ask', key: 'faq.ask' },
    { id: 'menu', key: 'faq.menu' },
  ]
}

/** args `{ id, country?, locale? }`: the answer to a question of her list, or null. */
export const faqAnswer: Loader = async (q, contact, args) => {
  const { country, lang } = who(contact, args)
  const { rows } = await faqFor(q, country, lang)
  const row = rows.find((r) => r.id === args?.id)
  return row ? answerOf(row) : null
}

/** args `{ text, country?, locale? }`: the entry that clearly answers her question, or null. */
export const faqFind: Loader = async (q, contact, args) => {
  const text = typeof args?.text === 'string' ? args.text : ''
  const { country, lang } = who(contact, args)
  const { rows, index } = await faqFor(q, country, lang)
  const hit = index.best(text)
  const row = hit && rows.find((r) => r.id === hit.id)
  return row ? answerOf(row) : null
}

/**
 * The engine's hook for free text between flows and at the menu (flows/context.ts), args
 * `{ text }`: an answer, an unanswered question to record, or null (nothing worth a search).
 */
export const faqSearch: Loader = async (q, contact, args) => {
  const text = typeof args?.text === 'string' ? args.text : ''
  const { country, lang } = who(contact, undefined)
  const { rows, index } = await faqFor(q, country, lang)
  const hit = index.best(text)
  const row = hit && rows.find((r) => r.id === hit.id)
  if (row) {
    const { question, answer, pending } = answerOf(row)
    return { key: pending ? 'faq.found_pending' : 'faq.found', vars: { question, answer } }
  }
  return FaqIndex.isQuestion(text) ? { unanswered: true, key: 'faq.search_miss' } : null
}

// ——— languages: what the language question offers ———

/** The languages offered (es, en and those staff enabled), as options of the question. */
export const languageOptions: Loader = async (q) =>
  (await readEnabledLanguages(db(q))).map(languageOption)

export const contentLoaders: Record<string, Loader> = {
  coopCard,
  coopNav,
  formationStep,
  formationNav,
  faqList,
  faqAnswer,
  faqFind,
  faqSearch,
  languageOptions,
}
