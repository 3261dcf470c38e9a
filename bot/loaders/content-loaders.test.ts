import type { TFunction } from 'i18next'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createI18n, readLocaleResources, translatorFor } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { ContactRow } from '../pipeline/conversation-store.ts'
import {
  COOP_TOPICS,
  FAQ_CACHE_MS,
  STEP_PHASE,
  clearFaqCache,
  coopCard,
  coopNav,
  faqAnswer,
  faqFind,
  faqList,
  faqSearch,
  formationNav,
  formationStep,
  type Card,
  type FormationStep,
} from './content-loaders.ts'
import { shorten, withoutTags } from './fact-text.ts'

let t: TestDatabase
const tr: Record<string, TFunction> = {}

beforeAll(async () => {
  t = await freshSqlite()
  const log = createLogger('silent')
  await seedProgramme(t.db, { adminEmail: 'admin@test.local', adminPassword: 'a-long-password', log }) // prettier-ignore
  await seedDemo(t.db, { now: new Date('2026-03-02T18:00:00Z'), log })
  const i18n = await createI18n(readLocaleResources())
  tr.es = translatorFor(i18n, 'es')
  tr.en = translatorFor(i18n, 'en')
}, 60_000)

afterAll(async () => {
  await t?.cleanup()
})

function contact(over: Partial<ContactRow> = {}): ContactRow {
  return {
    id: 'c-1',
    channel: 'web',
    channelUserId: 'u-1',
    phone: null,
    locale: 'es',
    country: 'BO',
    regionId: null,
    consentAt: new Date(),
    consentDeclinedAt: null,
    optedOutAt: null,
    erasedAt: null,
    lastInboundAt: null,
    ...over,
  }
}

const NOTE_ES =
  'Esta información está por confirmar con el personal del ministerio. ¿Quiere que una persona del equipo le responda?'
const NOTE_EN =
  'This information is still to be confirmed with ministry staff. Would you like a member of the team to answer you?'

type Option = { id: string; key: string; vars?: Record<string, unknown> }

/** A choice as the plain-text channel shows it. */
function choice(lang: string, key: string, options: Option[]): string {
  const t = tr[lang]!
  return [t(key), ...options.map((o, i) => `${i + 1}. ${t(o.key, o.vars)}`)].join('\n')
}

function formationKey(step: FormationStep): string {
  return { plain: 'formation.step', hedged: 'formation.step_hedged', pending: 'formation.step_pending' }[step.variant] // prettier-ignore
}

/** Every step of a country, walking "next" from the first, as she would. */
async function walkFormation(country: 'BO' | 'PA', locale: 'es' | 'en') {
  const who = contact({ id: 'nobody', country, locale })
  const steps: { step: FormationStep; nav: Option[] }[] = []
  let at: string | undefined
  for (let i = 0; i < 30; i++) {
    const step = (await formationStep(t.db, who, { at, country, locale })) as FormationStep
    const nav = (await formationNav(t.db, who, { at, country, locale })) as Option[]
    steps.push({ step, nav })
    const next = nav.find((o) => o.key === 'formation.next')
    if (!next) break
    at = next.id
  }
  return steps
}

describe('coop cards', () => {
  it('shows the definition for her country, one card at a time, from the database', async () => {
    const bo = contact()
    const first = (await coopCard(t.db, bo, { topic: 'what' })) as Card
    expect(first).toMatchObject({ id: 'COOP-01', n: 1, total: 4, variant: 'plain' })
    expect(first.text).toContain('Una cooperativa es un grupo de personas')
    expect(await coopNav(t.db, bo, { topic: 'what' })).toEqual([
      { id: 'COOP-02', key: 'coop.next' },
      { id: 'other_topic', key: 'coop.other_topic' },
      { id: 'menu', key: 'coop.menu' },
    ])
    const third = (await coopCard(t.db, bo, { topic: 'what', at: 'COOP-04' })) as Card
    expect(third).toMatchObject({ id: 'COOP-04', n: 3, variant: 'hedged' })
    expect(third.text).toMatch(/^en Bolivia, la ley dice/)
    const pa = (await coopCard(t.db, contact({ country: 'PA' }), { topic: 'what', at: 'COOP-04' })) as Card // prettier-ignore
    expect(pa.id).toBe('COOP-01') // not a card of hers: back to the first
    const ids = ((await coopNav(t.db, contact({ country: 'PA' }), { topic: 'what', at: 'COOP-05' })) as Option[]).map((o) => o.id) // prettier-ignore
    expect(ids).toEqual(['COOP-03', 'COOP-02', 'other_topic', 'menu'])
  })

  it("has Bolivia's constitutional principles only for Bolivia, and English texts", async () => {
    expect(await coopCard(t.db, contact({ country: 'PA' }), { topic: 'bolivia' })).toBeNull()
    expect(await coopNav(t.db, contact({ country: 'PA' }), { topic: 'bolivia' })).toBeNull()
    const bo = (await coopCard(t.db, contact(), { topic: 'bolivia' })) as Card
    expect(bo).toMatchObject({ id: 'BO-01', total: 7, variant: 'plain' })
    const en = (await coopCard(t.db, contact({ locale: 'en' }), { topic: 'principles', at: 'COOP-27' })) as Card // prettier-ignore
    expect(en.title).toBe('Principle 7: Concern for community')
    expect(en.text).toMatch(/^the cooperative also works/)
    expect(await coopCard(t.db, contact(), { topic: 'nonsense' })).toBeNull()
  })

  it('keeps every card of every topic under 600 characters, in both languages', async () => {
    for (const lang of ['es', 'en'] as const) {
      for (const country of ['BO', 'PA'] as const) {
        for (const topic of Object.keys(COOP_TOPICS)) {
          for (const id of COOP_TOPICS[topic]![country]) {
            const args = { topic, at: id, country, locale: lang }
            const c = (await coopCard(t.db, contact(), args)) as Card
            expect(c.id).toBe(id)
            const key = { plain: 'coop.card', hedged: 'coop.card_hedged', pending: 'coop.card_pending' }[c.variant] // prettier-ignore
            const text = tr[lang]!(key, { ...c })
            expect(text.length, `${id} ${lang}`).toBeLessThanOrEqual(600)
            expect(text).not.toMatch(/Confianza|Confidence|\[(confirmado|secundario)/)
            const nav = (await coopNav(t.db, contact(), args)) as Option[]
            expect(choice(lang, 'coop.nav', nav).length).toBeLessThanOrEqual(600)
          }
        }
      }
    }
  })
})

describe('formation steps', () => {
  it('walks the Bolivian steps in order, with the note instead of unconfirmed facts', async () => {
    const steps = await walkFormation('BO', 'es')
    expect(steps.map((s) => s.step.id)).toEqual(['BO-20', 'BO-21', 'BO-22', 'BO-23', 'BO-24', 'BO-25', 'BO-26', 'BO-27', 'BO-28']) // prettier-ignore
    const [first, second] = steps
    expect(first!.step).toMatchObject({ n: 1, total: 9, variant: 'pending', text: '', first: true })
    expect(first!.step.law).toBe('Ley N° 356, Ley General de Cooperativas')
    expect(first!.step.intro).toBe('plain')
    expect(first!.nav.map((o) => o.id)).toEqual(['BO-21', 'human', 'menu'])
    expect(second!.step).toMatchObject({ variant: 'plain', source: 'gob.bo, trámite 2932', first: false }) // prettier-ignore
    expect(second!.step.text).toContain('120 días calendario')
    expect(second!.step).toMatchObject({ phase: 3, phases: 4, phaseName: 'Difusión y fomento cooperativo' }) // prettier-ignore
    expect(steps.at(-1)!.nav.map((o) => o.id)).toEqual(['BO-27', 'human', 'menu'])
  })

  it('walks the Panamanian steps with the light hedge and readable sources', async () => {
    const steps = await walkFormation('PA', 'en')
    expect(steps.map((s) => s.step.id)).toEqual(['PA-19', 'PA-20', 'PA-21', 'PA-22', 'PA-23', 'PA-24', 'PA-25', 'PA-26']) // prettier-ignore
    const letter = steps[1]!.step
    expect(letter).toMatchObject({ variant: 'hedged', phase: 2, phases: 3, phaseName: 'Job training' }) // prettier-ignore
    expect(letter.source).toBe('Global Brigades workshop guide; document «¿Cuáles son los requisitos para formar una cooperativa?»') // prettier-ignore
    expect(letter.text).toMatch(/^a representative asks IPACOOP/)
    expect(steps[0]!.step.intro).toBe('hedged') // Ley 17 is only [secundario]
    expect(steps[2]!.step.variant).toBe('pending') // the seminar's cost is to be confirmed
    expect(steps[6]!.step.text).not.toContain('Confidence')
  })

  it('opens at the step of her group phase', async () => {
    const member = async (id: string, country: 'BO' | 'PA') =>
      (await formationStep(t.db, contact({ id, country }), {})) as FormationStep
    expect(await member('demo-contact-bo1-1', 'BO')).toMatchObject({ id: 'BO-20', groupPhase: 1 })
    expect(await member('demo-contact-bo3-1', 'BO')).toMatchObject({
      id: 'BO-21',
      groupPhase: 3,
      groupPhaseName: 'Difusión y fomento cooperativo',
    })
    expect(await member('demo-contact-pa2-1', 'PA')).toMatchObject({ id: 'PA-20', groupPhase: 2 })
    expect(await member('demo-contact-pa3-1', 'PA')).toMatchObject({ id: 'PA-26', groupPhase: 3 })
    const nav = (await formationNav(t.db, contact({ id: 'demo-contact-pa3-1', country: 'PA' }), {})) as Option[] // prettier-ignore
    expect(nav.map((o) => o.id)).toEqual(['PA-25', 'menu'])
    // once she moves, the group no longer decides where she is
    const moved = (await formationStep(t.db, contact({ id: 'demo-contact-pa3-1', country: 'PA' }), { at: 'PA-19' })) as FormationStep // prettier-ignore
    expect(moved).toMatchObject({ id: 'PA-19', groupPhase: null, first: false })
  })

  it('needs a country, and takes the one the flow just set over her row', async () => {
    expect(await formationStep(t.db, contact({ country: null }), {})).toBeNull()
    expect(await formationNav(t.db, contact({ country: null }), {})).toBeNull()
    const step = (await formationStep(t.db, contact({ country: null }), { country: 'PA' })) as FormationStep // prettier-ignore
    expect(step.id).toBe('PA-19')
  })

  it('maps every seeded step to a phase of its programme', async () => {
    const steps = await t.db.requirement.findMany({ where: { kind: 'step' } })
    expect(steps.map((s) => s.id).sort()).toEqual(Object.keys(STEP_PHASE).sort())
  })

  it.each([
    ['BO', 'es'],
    ['BO', 'en'],
    ['PA', 'es'],
    ['PA', 'en'],
  ] as const)(
    'shows only facts of seeded rows with a source, each message ≤ 600 characters (%s, %s)',
    async (country, lang) => {
      const note = lang === 'es' ? NOTE_ES : NOTE_EN
      const t_ = tr[lang]!
      for (const { step, nav } of await walkFormation(country, lang)) {
        const req = await t.db.requirement.findUniqueOrThrow({ where: { id: step.id } })
        const fact = await t.db.contentFact.findUnique({ where: { id: step.id } })
        expect(req.country).toBe(country)
        expect(req.source.trim(), step.id).not.toBe('')
        expect(step.title).toBe(lang === 'es' ? req.titleEs : req.titleEn)
        const text = t_(formationKey(step), { ...step })
        if (step.variant === 'pending') {
          expect(text).toContain(note)
          expect(step.text).toBe('')
          if (fact) expect(text).not.toContain(withoutTags(lang === 'es' ? fact.textEs : fact.textEn).slice(0, 30)) // prettier-ignore
        } else {
          expect(fact, step.id).not.toBeNull()
          expect(fact!.source.trim()).not.toBe('')
          expect(step.source).not.toBe('')
          const shown = shorten(withoutTags(lang === 'es' ? fact!.textEs : fact!.textEn), 300)
          expect(step.text.slice(1)).toBe(shown.slice(1)) // first letter follows the hedge
          expect(text).not.toContain(note)
        }
        expect(text.length, `${step.id} ${lang}`).toBeLessThanOrEqual(600)
        expect(choice(lang, 'formation.nav', nav).length).toBeLessThanOrEqual(600)
        const intro = { plain: 'formation.intro', hedged: 'formation.intro_hedged', short: 'formation.intro_short' }[step.intro] // prettier-ignore
        expect(t_(intro, { ...step }).length).toBeLessThanOrEqual(600)
        expect(t_('formation.group', { ...step, phase: 3 }).length).toBeLessThanOrEqual(600)
      }
    },
  )
})

describe('faq', () => {
  it('lists her country and both, by pages, and answers a picked question', async () => {
    const page1 = (await faqList(t.db, contact(), {})) as Option[]
    expect(page1.map((o) => o.id)).toEqual(['FAQ-01', 'FAQ-02', 'FAQ-03', 'FAQ-04', 'FAQ-05', 'page-2', 'ask', 'menu']) // prettier-ignore
    const page2 = (await faqList(t.db, contact(), { pick: 'page-2' })) as Option[]
    expect(page2.map((o) => o.id)).toEqual(['FAQ-06', 'FAQ-08', 'FAQ-10', 'FAQ-12', 'FAQ-14', 'page-3', 'ask', 'menu']) // prettier-ignore
    const back = (await faqList(t.db, contact(), { pick: 'FAQ-14' })) as Option[]
    expect(back[0]!.id).toBe('FAQ-06')
    const pa = (await faqList(t.db, contact({ country: 'PA' }), { pick: 'page-2' })) as Option[]
    expect(pa.map((o) => o.id)).toContain('FAQ-07')
    expect(pa.map((o) => o.id)).not.toContain('FAQ-06')
    expect(await faqAnswer(t.db, contact(), { id: 'FAQ-07' })).toBeNull() // Panama's, not hers
    expect(await faqAnswer(t.db, contact(), { id: 'page-2' })).toBeNull()
    expect(await faqAnswer(t.db, contact({ locale: 'en' }), { id: 'FAQ-06' })).toMatchObject({
      question: 'How many people do we need to form a cooperative in Bolivia?',
      pending: true,
    })
  })

  it('keeps every page and answer under 600 characters', async () => {
    for (const lang of ['es', 'en'] as const) {
      for (const country of ['BO', 'PA'] as const) {
        const who = contact({ country, locale: lang })
        for (let page = 1; page <= 8; page++) {
          const options = (await faqList(t.db, who, { pick: `page-${page}` })) as Option[]
          expect(choice(lang, 'faq.list', options).length).toBeLessThanOrEqual(600)
          for (const o of options.filter((x) => x.id.startsWith('FAQ-'))) {
            const a = (await faqAnswer(t.db, who, { id: o.id })) as Record<string, unknown>
            for (const key of ['faq.answer', 'faq.found', 'faq.found_pending']) {
              expect(tr[lang]!(key, a).length, `${o.id} ${lang}`).toBeLessThanOrEqual(600)
            }
          }
        }
      }
    }
  })

  it.each([
    ['BO', 'es', '¿cuánto cuesta formar la cooperativa?', 'FAQ-08'],
    ['BO', 'es', 'cuantas socias necesitamos como minimo', 'FAQ-06'],
    ['PA', 'es', 'cuántas personas necesitamos', 'FAQ-07'],
    ['BO', 'es', 'que documentos piden', 'FAQ-14'],
    ['PA', 'es', 'qué papeles necesitamos', 'FAQ-15'],
    ['BO', 'es', 'que es la afcoop', 'FAQ-34'],
    ['PA', 'es', 'que es el ipacoop', 'FAQ-35'],
    ['BO', 'es', 'cuanto tarda el tramite', 'FAQ-10'],
    ['PA', 'es', 'hay capital semilla?', 'FAQ-33'],
    ['BO', 'es', 'la asesoria es gratis?', 'FAQ-28'],
    ['BO', 'es', 'podemos ser solo mujeres', 'FAQ-05'],
    ['BO', 'es', 'que pasa con las ganancias', 'FAQ-30'],
    ['BO', 'es', 'cuantos votos tiene cada socia', 'FAQ-31'],
    ['BO', 'es', 'que es el estatuto', 'FAQ-19'],
    ['BO', 'es', 'que es el comite organizadr', 'FAQ-16'],
    ['PA', 'en', 'how much does it cost?', 'FAQ-09'],
    ['PA', 'en', 'what documents do we need', 'FAQ-15'],
    ['BO', 'en', 'is legal advice free?', 'FAQ-28'],
  ] as const)('finds the answer (%s, %s) «%s» → %s', async (country, locale, text, id) => {
    const found = await faqFind(t.db, contact({ country, locale }), { text })
    expect(found).toMatchObject({ id })
  })

  it('answers free text through the engine hook, or records it, or lets it be', async () => {
    expect(await faqSearch(t.db, contact(), { text: 'cuanto cuesta formar la cooperativa' })).toMatchObject({ key: 'faq.found_pending', vars: { question: '¿Cuánto cuesta formar una cooperativa en Bolivia?' } }) // prettier-ignore
    expect(await faqSearch(t.db, contact(), { text: 'que es el comite organizador' })).toMatchObject({ key: 'faq.found' }) // prettier-ignore
    expect(await faqSearch(t.db, contact(), { text: 'mi vecina vende empanadas los domingos' })).toEqual({ unanswered: true, key: 'faq.search_miss' }) // prettier-ignore
    expect(await faqSearch(t.db, contact(), { text: 'hola, buenas tardes' })).toBeNull()
    expect(await faqSearch(t.db, contact(), { text: 'gracias' })).toBeNull()
    expect(await faqSearch(t.db, contact(), {})).toBeNull()
  })

  it('reuses the index for a minute, then shows what staff changed', async () => {
    clearFaqCache()
    const who = contact()
    expect(await faqAnswer(t.db, who, { id: 'FAQ-16' })).toMatchObject({ answer: expect.stringContaining('presidencia') }) // prettier-ignore
    await t.db.faqEntry.update({ where: { id: 'FAQ-16' }, data: { answerEs: 'Texto editado.' } })
    expect(await faqAnswer(t.db, who, { id: 'FAQ-16' })).not.toMatchObject({ answer: 'Texto editado.' }) // prettier-ignore
    const now = Date.now()
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + FAQ_CACHE_MS + 1)
    try {
      expect(await faqAnswer(t.db, who, { id: 'FAQ-16' })).toMatchObject({ answer: 'Texto editado.' }) // prettier-ignore
    } finally {
      clock.mockRestore()
      clearFaqCache()
    }
  })

  it('searches fast', async () => {
    const who = contact()
    await faqFind(t.db, who, { text: 'x' })
    const started = performance.now()
    for (let i = 0; i < 200; i++) await faqFind(t.db, who, { text: `cuanto cuesta formar ${i}` })
    expect((performance.now() - started) / 200).toBeLessThan(5)
  })
})
