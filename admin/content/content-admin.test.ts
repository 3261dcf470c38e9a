import type { TFunction } from 'i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translatorFor } from '../../app/i18n.ts'
import { formationStep, type FormationStep } from '../../bot/loaders/content-loaders.ts'
import type { ContactRow } from '../../bot/pipeline/conversation-store.ts'
import { contentTestApp } from './content-test-kit.ts'
import { DISMISSED } from './unanswered-routes.ts'

let kit: Awaited<ReturnType<typeof contentTestApp>>

beforeAll(async () => {
  kit = await contentTestApp()
}, 60_000)
afterAll(() => kit?.close())

const faqForm = {
  questionEs: '¿Cuánto cuesta formar una cooperativa en Bolivia?',
  answerEs:
    'Texto nuevo del equipo: el trámite cuesta lo que indica la tabla vigente de la AFCOOP.',
  questionEn: '',
  answerEn: '',
  keywords: 'costo, precio,  costo , cuánto cuesta',
  country: 'BO',
  status: 'confirmado',
  basis: 'AFCOOP',
  published: '1',
}

describe('FAQ editor', () => {
  it('lists with search, country and published filters; viewers read only', async () => {
    const all = await kit.get('viewer', '/admin/content/faq')
    expect(all.status).toBe(200)
    expect(all.text).toContain('data-faq-id="FAQ-01"')
    expect(all.text).not.toContain('data-test="faq-new"')
    const bolivia = await kit.get('viewer', '/admin/content/faq?country=BO&q=cuanto%20cuesta')
    expect(bolivia.text).toContain('data-faq-id="FAQ-08"')
    expect(bolivia.text).not.toContain('data-faq-id="FAQ-01"')
    const unpublished = await kit.get('viewer', '/admin/content/faq?published=no')
    expect(unpublished.text).not.toContain('data-faq-id=')
    const page = await kit.get('viewer', '/admin/content/faq/FAQ-08')
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-test="read-only"')
    expect(page.text).not.toContain('data-test="faq-save"')
  })

  it('viewers cannot create or edit (403); forms need the CSRF token', async () => {
    expect((await kit.get('viewer', '/admin/content/faq/new')).status).toBe(403)
    expect((await kit.post('viewer', '/admin/content/faq', faqForm)).status).toBe(403)
    expect((await kit.post('viewer', '/admin/content/faq/FAQ-08', faqForm)).status).toBe(403)
    const noToken = await kit.as.agent.agent.post('/admin/content/faq/FAQ-08').type('form').send(faqForm) // prettier-ignore
    expect(noToken.status).toBe(403)
    const row = await kit.db.faqEntry.findUniqueOrThrow({ where: { id: 'FAQ-08' } })
    expect(row.answerEs).not.toContain('Texto nuevo')
  })

  it('an edited answer is what the bot answers next, through the FAQ search', async () => {
    await kit.onboard('faq-edit')
    const before = (await kit.bot.say('faq-edit', 'cuánto cuesta el trámite')).join('\n')
    expect(before).toContain('reserva de nombre 100 Bs')
    const res = await kit.post('agent', '/admin/content/faq/FAQ-08', faqForm)
    expect(res.status).toBe(303)
    const after = (await kit.bot.say('faq-edit', 'cuánto cuesta el trámite')).join('\n')
    expect(after).toContain('Texto nuevo del equipo')
    expect(after).not.toContain('reserva de nombre 100 Bs')
    const row = await kit.db.faqEntry.findUniqueOrThrow({ where: { id: 'FAQ-08' } })
    expect(row.keywords).toBe('costo, precio, cuánto cuesta')
    expect(row.questionEn).toBe('') // English speakers get the Spanish until staff translate it
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'faq.update', entityId: 'FAQ-08' } }) // prettier-ignore
    expect(JSON.parse(log.before!)).toMatchObject({ answerEs: expect.stringContaining('100 Bs') })
    expect(JSON.parse(log.after!)).toMatchObject({ answerEs: faqForm.answerEs })
    expect(log.actor).toBe('agent@test.local')
  })

  it('an unpublished entry no longer answers', async () => {
    const { published: _, ...unpublished } = faqForm
    expect((await kit.post('admin', '/admin/content/faq/FAQ-08', unpublished)).status).toBe(303)
    const out = (await kit.bot.say('faq-edit', 'cuánto cuesta el trámite')).join('\n')
    expect(out).not.toContain('Texto nuevo del equipo')
    expect((await kit.post('admin', '/admin/content/faq/FAQ-08', faqForm)).status).toBe(303)
  })

  it('rejects an invalid form with 400 naming the fields, and keeps the row', async () => {
    const res = await kit.post('agent', '/admin/content/faq/FAQ-08', {
      ...faqForm,
      answerEs: 'x'.repeat(401),
      country: 'AR',
    })
    expect(res.status).toBe(400)
    expect(res.text).toMatch(/data-test="error">[^<]*answerEs, country/)
    expect((await kit.db.faqEntry.findUniqueOrThrow({ where: { id: 'FAQ-08' } })).answerEs).toBe(faqForm.answerEs) // prettier-ignore
  })
})

describe('unanswered questions', () => {
  it('lists what the bot could not answer, newest first, without her phone', async () => {
    await kit.onboard('unanswered-1')
    await kit.db.contact.updateMany({
      where: { channelUserId: 'unanswered-1' },
      data: { phone: '+59171234567', regionId: 'BO-LP', displayName: 'Rosa Quispe' },
    })
    kit.bot.clock.advance(60_000)
    await kit.bot.say('unanswered-1', 'mi vecina vende empanadas los domingos')
    kit.bot.clock.advance(60_000)
    await kit.bot.say('unanswered-1', 'tengo telares de cintura, llamenme al 712-34-567')
    kit.bot.clock.advance(60_000)
    await kit.bot.say('unanswered-1', 'donde venden lana de alpaca barata')
    const res = await kit.get('agent', '/admin/content/unanswered')
    expect(res.status).toBe(200)
    const first = res.text.indexOf('lana de alpaca')
    const second = res.text.indexOf('vende empanadas')
    expect(first).toBeGreaterThan(0)
    expect(second).toBeGreaterThan(first)
    expect(res.text).not.toContain('71234567')
    expect(res.text).toContain('telares de cintura, llamenme al •••')
    expect(res.text).not.toContain('712-34-567')
    expect(res.text).not.toContain('Rosa Quispe')
  })

  it("hides questions of women outside the agent's regions", async () => {
    await kit.onboard('unanswered-pa', 'PA')
    await kit.bot.say('unanswered-pa', 'hay ferias artesanales en colon este mes')
    const q = await kit.db.unansweredQuestion.findFirstOrThrow({ where: { text: { contains: 'ferias' } } }) // prettier-ignore
    expect((await kit.get('agent', '/admin/content/unanswered')).text).not.toContain('ferias')
    expect((await kit.get('admin', '/admin/content/unanswered')).text).toContain('ferias')
    expect((await kit.post('agent', `/admin/content/unanswered/${q.id}/dismiss`, {})).status).toBe(
      404,
    )
    expect((await kit.get('agent', `/admin/content/faq/new?from=${q.id}`)).status).toBe(404)
  })

  it('turns a question into an FAQ entry (prefilled) that the bot then answers', async () => {
    const q = await kit.db.unansweredQuestion.findFirstOrThrow({ where: { text: { contains: 'alpaca' } } }) // prettier-ignore
    const form = await kit.get('agent', `/admin/content/faq/new?from=${q.id}`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('value="donde venden lana de alpaca barata"')
    expect(form.text).toContain(`name="fromUnanswered" value="${q.id}"`)
    const res = await kit.post('agent', '/admin/content/faq', {
      ...faqForm,
      questionEs: '¿Dónde venden lana de alpaca?',
      answerEs: 'El equipo del ministerio le indicará proveedores de lana de su región.',
      keywords: 'lana, alpaca',
      fromUnanswered: q.id,
    })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/admin/content/faq/FAQ-41?saved=1')
    expect((await kit.db.unansweredQuestion.findUniqueOrThrow({ where: { id: q.id } })).faqId).toBe('FAQ-41') // prettier-ignore
    expect((await kit.get('agent', '/admin/content/unanswered')).text).not.toContain('alpaca')
    const out = (await kit.bot.say('unanswered-1', 'lana de alpaca donde venden')).join('\n')
    expect(out).toContain('proveedores de lana')
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'faq.create' } })
    expect(JSON.parse(log.after!)).toMatchObject({ fromUnanswered: q.id, country: 'BO' })
  })

  it('dismisses a question (audited); viewers cannot', async () => {
    const q = await kit.db.unansweredQuestion.findFirstOrThrow({ where: { text: { contains: 'empanadas' } } }) // prettier-ignore
    expect((await kit.post('viewer', `/admin/content/unanswered/${q.id}/dismiss`, {})).status).toBe(403) // prettier-ignore
    expect((await kit.get('viewer', '/admin/content/unanswered')).text).not.toContain('data-test="dismiss"') // prettier-ignore
    expect((await kit.post('agent', `/admin/content/unanswered/${q.id}/dismiss`, {})).status).toBe(303) // prettier-ignore
    expect((await kit.db.unansweredQuestion.findUniqueOrThrow({ where: { id: q.id } })).faqId).toBe(DISMISSED) // prettier-ignore
    expect((await kit.get('agent', '/admin/content/unanswered')).text).not.toContain('empanadas')
    expect(await kit.db.auditLog.count({ where: { action: 'unanswered.dismiss', entityId: q.id } })).toBe(1) // prettier-ignore
  })
})

describe('facts and requirements', () => {
  const contact: ContactRow = {
    id: 'none',
    channel: 'web',
    channelUserId: 'loader',
    phone: null,
    locale: 'es',
    country: 'BO',
    regionId: null,
    consentAt: new Date(),
    consentDeclinedAt: null,
    optedOutAt: null,
    erasedAt: null,
    lastInboundAt: null,
  }
  let t: TFunction
  beforeAll(() => {
    t = translatorFor(kit.i18n, 'es')
  })
  const step = async (id: string) =>
    (await formationStep(kit.db, contact, { at: id, country: 'BO', locale: 'es' })) as FormationStep
  const render = (s: FormationStep) =>
    t(`formation.${{ plain: 'step', hedged: 'step_hedged', pending: 'step_pending' }[s.variant]}`, s) // prettier-ignore

  const factBody = async (id: string, over: Record<string, string>) => {
    const f = await kit.db.contentFact.findUniqueOrThrow({ where: { id } })
    return { titleEs: f.titleEs, textEs: f.textEs, titleEn: f.titleEn, textEn: f.textEn, source: f.source, status: f.status, ...over } // prettier-ignore
  }

  it('a fact set to "por confirmar" shows the note in the bot instead of the fact', async () => {
    const before = await step('BO-21')
    expect(before.variant).toBe('plain')
    expect(render(before)).toContain(before.text)
    const res = await kit.post('agent', '/admin/content/facts/BO-21', await factBody('BO-21', { status: 'por_confirmar' })) // prettier-ignore
    expect(res.status).toBe(303)
    const after = await step('BO-21')
    expect(after.variant).toBe('pending')
    expect(after.pending).toBe(true)
    expect(render(after)).toContain('por confirmar')
    expect(render(after)).not.toContain(before.text)
    const row = await kit.db.contentFact.findUniqueOrThrow({ where: { id: 'BO-21' } })
    expect(row.verifiedBy).toBeNull()
    expect(row.verifiedAt).toBeNull()
  })

  it('confirming records who and when; the bot states the edited text', async () => {
    const text = 'La reserva de nombre se pide a la AFCOOP antes de la asamblea de constitución.'
    const res = await kit.post('admin', '/admin/content/facts/BO-21', await factBody('BO-21', { status: 'confirmado', textEs: text, source: 'gob.bo 2932' })) // prettier-ignore
    expect(res.status).toBe(303)
    const row = await kit.db.contentFact.findUniqueOrThrow({ where: { id: 'BO-21' } })
    expect(row.verifiedBy).toBe('admin@test.local')
    expect(row.verifiedAt).not.toBeNull()
    const s = await step('BO-21')
    expect(s.variant).toBe('plain')
    expect(s.text).toBe(text)
    const page = await kit.get('viewer', '/admin/content/facts/BO-21')
    expect(page.text).toMatch(/data-test="verified">[^<]*admin@test\.local/)
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'fact.update', entityId: 'BO-21', actor: 'admin@test.local' } }) // prettier-ignore
    expect(JSON.parse(log.before!)).toMatchObject({ status: 'por_confirmar', verifiedBy: null })
    expect(JSON.parse(log.after!)).toMatchObject({ status: 'confirmado', textEs: text, verifiedBy: 'admin@test.local' }) // prettier-ignore
  })

  it('a requirement marked unconfirmed makes its step pending too; viewers cannot edit', async () => {
    const r = await kit.db.requirement.findUniqueOrThrow({ where: { id: 'BO-21' } })
    const body = {
      titleEs: r.titleEs,
      titleEn: r.titleEn,
      source: r.source,
      status: 'por_confirmar',
    }
    expect((await kit.post('viewer', '/admin/content/requirements/BO-21', body)).status).toBe(403)
    expect((await kit.post('viewer', '/admin/content/facts/BO-21', await factBody('BO-21', {}))).status).toBe(403) // prettier-ignore
    expect((await kit.post('agent', '/admin/content/requirements/BO-21', body)).status).toBe(303)
    expect((await step('BO-21')).variant).toBe('pending')
    expect(await kit.db.auditLog.count({ where: { action: 'requirement.update', entityId: 'BO-21' } })).toBe(1) // prettier-ignore
  })

  it('lists facts and requirements with filters and pages', async () => {
    const first = await kit.get('viewer', '/admin/content/facts')
    expect(first.status).toBe(200)
    expect(first.text).toContain('data-test="total">201 ')
    expect((first.text.match(/data-fact-id=/g) ?? []).length).toBe(50)
    expect(first.text).toContain('rel="next"')
    const pending = await kit.get('viewer', '/admin/content/facts?status=por_confirmar&country=PA')
    const ids = [...pending.text.matchAll(/data-fact-id="([^"]+)"/g)].map((m) => m[1])
    expect(ids.length).toBeGreaterThan(0)
    const rows = await kit.db.contentFact.findMany({ where: { id: { in: ids as string[] } } })
    expect(rows.every((f) => f.status === 'por_confirmar' && f.country === 'PA')).toBe(true)
    const reqs = await kit.get('viewer', '/admin/content/requirements?country=PA&kind=step')
    expect(reqs.text).toContain('data-requirement-id="PA-19"')
    expect(reqs.text).not.toContain('data-requirement-id="BO-')
    expect((await kit.get('viewer', '/admin/content/facts/NOPE')).status).toBe(404)
  })
})
