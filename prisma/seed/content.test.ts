import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadContent } from './content-schema.ts'
import { extract, mostCautious, tagsIn } from './extract-content.ts'

const content = loadContent()
const SHARED = '/work/shared/content'
const NOTE_ES = /por confirmar/i
const NOTE_EN = /to be confirmed/i

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i)
}

describe('seed content', () => {
  it('has every entry in Spanish and English', () => {
    const empty: string[] = []
    const check = (id: string, row: Record<string, unknown>, fields: string[]) => {
      for (const f of fields) {
        if (typeof row[f] !== 'string' || (row[f] as string).trim() === '') empty.push(`${id}.${f}`)
      }
    }
    for (const f of content.facts) check(f.id, f, ['titleEs', 'textEs', 'titleEn', 'textEn'])
    for (const q of content.faq)
      check(q.id, q, ['questionEs', 'answerEs', 'questionEn', 'answerEn'])
    for (const r of content.requirements) check(r.id, r, ['titleEs', 'titleEn'])
    for (const r of content.rubros) check(r.id, r, ['nameEs', 'nameEn'])
    for (const p of content.programmes) {
      check(p.id, p, ['nameEs', 'nameEn', 'descriptionEs', 'descriptionEn'])
      for (const ph of p.phases)
        check(ph.id, ph, ['nameEs', 'nameEn', 'descriptionEs', 'descriptionEn'])
    }
    for (const r of content.regions) check(r.id, r, ['name'])
    for (const p of content.partners) check(p.id, p, ['name'])
    expect(empty).toEqual([])
  })

  it('keeps FAQ answers within 400 characters in both languages', () => {
    const long = content.faq
      .filter((q) => q.answerEs.length > 400 || q.answerEn.length > 400)
      .map((q) => `${q.id}: ${q.answerEs.length}/${q.answerEn.length}`)
    expect(long).toEqual([])
  })

  it('has 40 FAQ entries with keywords in both languages', () => {
    expect(content.faq.map((q) => q.id)).toEqual(
      Array.from({ length: 40 }, (_, i) => `FAQ-${String(i + 1).padStart(2, '0')}`),
    )
    for (const q of content.faq) expect(q.keywords.length, q.id).toBeGreaterThanOrEqual(3)
  })

  it('translates the «por confirmar» note wherever the Spanish has it', () => {
    const missing = [
      ...content.faq.filter((q) => NOTE_ES.test(q.answerEs) && !NOTE_EN.test(q.answerEn)),
      ...content.facts.filter(
        (f) => f.textEs.includes('[por confirmar]') && !f.textEn.includes('[por confirmar]'),
      ),
    ].map((r) => r.id)
    expect(missing).toEqual([])
  })

  it('uses unique ids', () => {
    expect(duplicates(content.facts.map((f) => f.id))).toEqual([])
    expect(duplicates(content.faq.map((f) => f.id))).toEqual([])
    expect(duplicates(content.requirements.map((r) => r.id))).toEqual([])
    expect(duplicates(content.requirements.map((r) => `${r.country}:${r.order}`))).toEqual([])
    expect(duplicates(content.regions.map((r) => r.id))).toEqual([])
    expect(duplicates(content.rubros.map((r) => r.id))).toEqual([])
    expect(duplicates(content.partners.map((p) => p.id))).toEqual([])
    expect(
      duplicates(content.programmes.flatMap((p) => [p.id, ...p.phases.map((ph) => ph.id)])),
    ).toEqual([])
  })

  it('builds every requirement from a fact of the same country and tag', () => {
    const facts = new Map(content.facts.map((f) => [f.id, f]))
    for (const r of content.requirements) {
      const f = facts.get(r.id)
      expect(f, r.id).toBeDefined()
      expect([f!.country, f!.status], r.id).toEqual([r.country, r.status])
      expect(r.titleEn.length, r.id).toBeLessThanOrEqual(120)
      expect(r.titleEs.length, r.id).toBeLessThanOrEqual(120)
    }
    const kinds = (country: string, kind: string) =>
      content.requirements.filter((r) => r.country === country && r.kind === kind).map((r) => r.id)
    expect(kinds('BO', 'step')).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28].map((n) => `BO-${n}`))
    expect(kinds('BO', 'document')).toEqual([30, 31, 32, 33, 34, 35].map((n) => `BO-${n}`))
    expect(kinds('PA', 'step')).toEqual([19, 20, 21, 22, 23, 24, 25, 26].map((n) => `PA-${n}`))
    expect(kinds('PA', 'document')).toEqual([30, 31, 32, 33, 34, 35].map((n) => `PA-${n}`))
  })

  it('gives a fact the most cautious of its tags', () => {
    const status = (id: string) => content.facts.find((f) => f.id === id)?.status
    for (const id of ['BO-20', 'BO-24', 'BO-28', 'BO-35', 'BO-53', 'PA-40', 'PA-21', 'PRG-03']) {
      expect(status(id), id).toBe('por_confirmar')
    }
    expect(status('BO-21')).toBe('confirmado')
    expect(status('PA-20')).toBe('secundario')
    expect(content.faq.find((q) => q.id === 'FAQ-28')?.status).toBe('por_confirmar')
    expect(content.faq.find((q) => q.id === 'FAQ-01')?.status).toBe('confirmado')
    expect(mostCautious(tagsIn('[confirmado] la elección; estatuto [por confirmar]'))).toBe(
      'por_confirmar',
    )
    for (const q of content.faq) {
      if (NOTE_ES.test(q.answerEs)) expect(q.status, q.id).toBe('por_confirmar')
    }
    // a por_confirmar row never loses its tag on the way
    for (const f of content.facts) {
      if (f.textEs.includes('[por confirmar]')) expect(f.status, f.id).toBe('por_confirmar')
    }
  })

  it('lists the 9 Bolivian departments and Panama’s 10 provinces and comarcas', () => {
    const of = (country: string, kind: string) =>
      content.regions.filter((r) => r.country === country && r.kind === kind).length
    expect(of('BO', 'departamento')).toBe(9)
    expect(of('PA', 'provincia')).toBe(10)
    expect(of('PA', 'comarca')).toBe(6)
  })

  it.skipIf(!existsSync(SHARED))('matches a fresh extraction of the shared content', () => {
    const fresh = extract(SHARED)
    const spanish = <T extends { id: string }>(rows: T[], fields: (keyof T)[]) =>
      rows.map((r) => Object.fromEntries(['id', ...fields].map((f) => [f, r[f as keyof T]])))
    const factFields = ['country', 'section', 'titleEs', 'textEs', 'status', 'source'] as const
    expect(spanish(content.facts, [...factFields])).toEqual(spanish(fresh.facts, [...factFields]))
    const faqFields = ['country', 'questionEs', 'answerEs', 'status', 'basis'] as const
    expect(spanish(content.faq, [...faqFields])).toEqual(spanish(fresh.faq, [...faqFields]))
    expect(content.partners).toEqual(fresh.partners)
    expect(content.regions).toEqual(fresh.regions)
  })
})
