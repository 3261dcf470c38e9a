import { describe, expect, it } from 'vitest'
import { matchOption, type MatchableOption } from './match-option.ts'

const menuEs: MatchableOption[] = [
  { id: 'human', label: 'Hablar con una persona del equipo', synonyms: ['asesora', 'equipo'] },
  { id: 'advice', label: 'Consulta legal o técnica', synonyms: ['abogada'] },
  { id: 'mydata', label: 'Mis datos' },
]
const menuEn: MatchableOption[] = [
  { id: 'human', label: 'Talk to a person from the team' },
  { id: 'advice', label: 'Legal or technical question' },
  { id: 'mydata', label: 'My data' },
]
const consent: MatchableOption[] = [
  { id: 'accept', label: 'Acepto', synonyms: ['sí', 'de acuerdo'] },
  { id: 'decline', label: 'No acepto', synonyms: ['no'] },
]
const countries: MatchableOption[] = [
  { id: 'BO', label: 'Bolivia' },
  { id: 'PA', label: 'Panamá' },
]
const greetings: MatchableOption[] = [
  { id: 'hello', label: 'Hola' },
  { id: 'bye', label: 'Adiós' },
]
const topics: MatchableOption[] = [
  { id: 'constitution', label: 'Constitución de la cooperativa' },
  { id: 'statutes', label: 'Estatutos' },
  { id: 'procedures', label: 'Trámites ante la AFCOOP' },
  { id: 'taxes', label: 'Impuestos' },
  { id: 'financing', label: 'Financiamiento' },
  { id: 'conflicts', label: 'Conflictos internos' },
  { id: 'other', label: 'Otro tema' },
]

describe('matchOption', () => {
  it.each([
    // digits, keycaps, number words and ordinals
    ['2', menuEs, 'advice'],
    [' 3. ', menuEs, 'mydata'],
    ['2️⃣', menuEs, 'advice'],
    ['1️⃣', menuEs, 'human'],
    ['dos', menuEs, 'advice'],
    ['Tres', menuEs, 'mydata'],
    ['segunda', menuEs, 'advice'],
    ['el segundo', menuEs, 'advice'],
    ['la primera', menuEs, 'human'],
    ['opción 3', menuEs, 'mydata'],
    ['2da', menuEs, 'advice'],
    ['two', menuEn, 'advice'],
    ['second', menuEn, 'advice'],
    ['third', menuEn, 'mydata'],
    ['3rd', menuEn, 'mydata'],
    ['🔟', topics.concat(topics.slice(0, 3).map((o) => ({ ...o, id: `${o.id}2` }))), 'procedures2'],
    // label words, whole words, forgiving case, accents and punctuation
    ['consulta legal', menuEs, 'advice'],
    ['CONSULTA TECNICA!!', menuEs, 'advice'],
    ['quiero hablar con una persona', menuEs, 'human'],
    ['mis datos', menuEs, 'mydata'],
    ['datos', menuEs, 'mydata'],
    ['Talk to a person', menuEn, 'human'],
    ['legal question', menuEn, 'advice'],
    ['my data', menuEn, 'mydata'],
    ['panama', countries, 'PA'],
    ['PANAMÁ', countries, 'PA'],
    ['de Bolivia', countries, 'BO'],
    ['estatutos', topics, 'statutes'],
    ['tramites', topics, 'procedures'],
    ['afcoop', topics, 'procedures'],
    // small typos
    ['bolibia', countries, 'BO'],
    ['Panamaa', countries, 'PA'],
    ['estatuto', topics, 'statutes'],
    ['inpuestos', topics, 'taxes'],
    ['finanziamiento', topics, 'financing'],
    ['constitusion', topics, 'constitution'],
    ['consulta legl', menuEs, 'advice'],
    // synonyms
    ['asesora', menuEs, 'human'],
    ['necesito una abogada', menuEs, 'advice'],
    ['sí', consent, 'accept'],
    ['si', consent, 'accept'],
    ['Acepto', consent, 'accept'],
    ['no acepto', consent, 'decline'],
    ['No', consent, 'decline'],
    ['no, no acepto', consent, 'decline'],
  ])('%j picks %#', (text, options, expected) => {
    expect(matchOption(text, options)).toEqual({ ok: true, optionId: expected })
  })

  it.each([
    ['Cholas', greetings],
    ['cholas', greetings],
    ['holanda', greetings],
    ['4', menuEs],
    ['0', menuEs],
    ['cuatro', menuEs],
    ['', menuEs],
    ['   ', menuEs],
    ['🙂🙂', menuEs],
    ['?!', menuEs],
    ['consulta', [...menuEs, { id: 'training', label: 'Consulta de capacitación' }]],
    ['banana', countries],
    ['pan', countries],
  ])('%j picks nothing', (text, options) => {
    expect(matchOption(text, options)).toEqual({ ok: false })
  })

  it('does not confuse two options with the same label', () => {
    const twins = [
      { id: 'a', label: 'Sí' },
      { id: 'b', label: 'si' },
    ]
    expect(matchOption('si', twins)).toEqual({ ok: false })
    expect(matchOption('1', twins)).toEqual({ ok: true, optionId: 'a' })
  })

  it('stays fast and sane on a 64 KB message', () => {
    const huge = 'consulta legal '.repeat(5000)
    const started = performance.now()
    expect(matchOption(huge, menuEs)).toEqual({ ok: true, optionId: 'advice' })
    expect(matchOption('x'.repeat(65536), menuEs)).toEqual({ ok: false })
    expect(performance.now() - started).toBeLessThan(200)
  })
})
