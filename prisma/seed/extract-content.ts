// One-off extraction of the programme content (the markdown files of the shared content folder)
// into prisma/seed/content/*.json, the committed files the seed reads.
//
//   npx tsx prisma/seed/extract-content.ts [content-folder]   (default /work/shared/content)
//
// The script writes the Spanish text, ids, countries, sections, sources and confidence tags. The
// English fields (and FAQ keywords) are written by hand in the JSON files: a re-run keeps them,
// matched by id, so re-extracting after a content change only needs the new or changed rows
// translated. A row whose Spanish changed keeps its old English: review it.
//
// Confidence: a row that mixes tags gets the most cautious one (por_confirmar > secundario >
// confirmado) as its status, and its Spanish text ends with the mixed tags («Confianza: …»).
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import * as prettier from 'prettier'
import { CONTENT_DIR, contentFiles } from './content-schema.ts'
import type {
  Content,
  ContentName,
  Fact,
  Faq,
  Partner,
  Programme,
  Region,
  Requirement,
  Rubro,
  Status,
} from './content-schema.ts'

// ---------------------------------------------------------------------------------------------
// Markdown helpers

type Section = { number: string; heading: string; lines: string[] }
type Row = Record<string, string>
type Table = { headers: string[]; rows: Row[] }

/** Splits a file into its numbered sections («## 3. …», «### 4.2 …»). */
export function sections(markdown: string): Section[] {
  const out: Section[] = []
  let current: Section | undefined
  for (const line of markdown.split('\n')) {
    const m = /^#{2,3}\s+(\d+(?:\.\d+)?)\.?\s+(.*)$/.exec(line)
    if (m) {
      current = { number: m[1]!, heading: m[2]!.trim(), lines: [] }
      out.push(current)
    } else if (current) {
      current.lines.push(line)
    }
  }
  return out
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim())
}

/** The markdown tables of a section, each row keyed by its header. */
export function tables(section: Section): Table[] {
  const out: Table[] = []
  let block: string[] = []
  const flush = () => {
    if (block.length >= 2) {
      const headers = splitRow(block[0]!)
      const rows = block.slice(2).map((line) => {
        const cells = splitRow(line)
        return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']))
      })
      out.push({ headers, rows })
    }
    block = []
  }
  for (const line of section.lines) {
    if (line.trim().startsWith('|')) block.push(line)
    else flush()
  }
  flush()
  return out
}

/** Plain text: no markdown emphasis or code marks, single spaces. */
export function plain(s: string): string {
  return s
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|[\s(«])\*(\S.*?\S|\S)\*(?=[\s).,;:»]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
}

const TAG = /\[(confirmado|secundario|por confirmar)\]/g
const RANK: Record<Status, number> = { confirmado: 0, secundario: 1, por_confirmar: 2 }

/** The distinct confidence tags in a text, in order of appearance. */
export function tagsIn(s: string): Status[] {
  const found = [...s.matchAll(TAG)].map((m) => m[1]!.replace(' ', '_') as Status)
  return [...new Set(found)]
}

/** The most cautious tag of a list; undefined when there is none. */
export function mostCautious(tags: Status[]): Status | undefined {
  return tags.reduce<Status | undefined>(
    (worst, t) => (worst === undefined || RANK[t] > RANK[worst] ? t : worst),
    undefined,
  )
}

/** The parts of a «Fuente · etiqueta» cell that carry a tag, without the source before «·». */
function tagNuance(cell: string): string {
  return cell
    .split(';')
    .filter((part) => new RegExp(TAG.source).test(part))
    .map((part) => {
      const dot = part.lastIndexOf('·')
      return plain(dot >= 0 ? part.slice(dot + 1) : part)
    })
    .join('; ')
}

/** Short source codes cited inline («S1 · [confirmado]», «(P3 · [confirmado])»). */
function inlineSources(s: string): string[] {
  return [...new Set([...s.matchAll(/\b([SBPC]\d{1,2})\b/g)].map((m) => m[1]!))]
}

/** Removes inline «S1 · [confirmado]» citations from a text meant for the bot. */
function withoutInlineCitations(s: string): string {
  return plain(
    s
      .replace(/\(?\b[SBPC]\d{1,2}\)?(?:,\s*[SBPC]\d{1,2})*\s*·\s*\[[^\]]+\]\)?/g, '')
      .replace(/\s+\./g, '.')
      .replace(/\(\s*\)/g, ''),
  )
}

function sentence(s: string): string {
  const t = s.trim()
  return t === '' || /[.!?»]$/.test(t) ? t : `${t}.`
}

// ---------------------------------------------------------------------------------------------
// Facts

type FactEs = Omit<Fact, 'titleEn' | 'textEn'>

const SECTION_SLUGS: Record<string, Record<string, string>> = {
  PRG: {
    '1': 'ficha',
    '2': 'objetivos',
    '3': 'cronologia',
    '4.1': 'panama-origen',
    '4.2': 'panama-fases',
    '4.3': 'panama-resultados',
    '5': 'bolivia-fases',
    '6': 'lecciones',
    '8': 'rubros',
    '9': 'capacitacion',
  },
  BO: {
    '1': 'marco-legal',
    '2': 'instituciones',
    '3': 'pasos',
    '4': 'documentos',
    '5': 'costos',
    '6': 'plazos',
    '7': 'genero',
    '8': 'figuras',
    '9': 'donde-acudir',
  },
  PA: {
    '1': 'marco-legal',
    '2': 'instituciones',
    '3': 'pasos',
    '4': 'documentos',
    '5': 'costos',
    '6': 'apoyos',
    '7': 'genero',
    '8': 'contexto',
  },
  COOP: {
    '1': 'definicion',
    '2': 'valores',
    '3': 'principios',
    '4': 'principios-bolivia',
    '5': 'glosario',
  },
}

/** Programme facts that are about one country only. */
const PRG_COUNTRY: Record<string, 'BO' | 'PA'> = {
  'PRG-05': 'BO',
  'PRG-06': 'BO',
  'PRG-07': 'BO',
  'PRG-09': 'BO',
  'PRG-08': 'PA',
  'PRG-13': 'PA',
  'PRG-70': 'PA',
  'PRG-71': 'PA',
}

/** Source and tag of tables that have no «Fuente» column (from the note around the table). */
const SECTION_SOURCE: Record<string, string> = {
  'PRG 5': 'S1 (informe semilla)',
  'COOP 3':
    'C1 (ACI, Declaración sobre la Identidad Cooperativa, 1995) · [confirmado] que son siete; nombres en español: C1, C2, C3 · [secundario]',
  'COOP 4':
    'Lista: Tribunal Constitucional Plurinacional, ficha 2364 (B4) · [confirmado]; explicaciones: redacción propia basada en COTAS (B15) · [secundario]',
  'COOP 5': 'redacción propia (explicación general)',
}

/**
 * Glossary definitions without any tag are general explanations in the content's own words:
 * stored as secundario (shown with the light hedge), never as confirmado.
 */
const UNTAGGED_DEFAULT: Status = 'secundario'

function sectionTitle(heading: string): string {
  return plain(heading.replace(/\s*\(.*\)$/, ''))
}

function factsOf(prefix: string, markdown: string): FactEs[] {
  const out: FactEs[] = []
  for (const section of sections(markdown)) {
    const slug = SECTION_SLUGS[prefix]?.[section.number]
    if (!slug) continue
    const prose = section.lines.filter((l) => !l.trim().startsWith('|')).join('\n')
    const sectionTags = tagsIn(prose)
    for (const table of tables(section)) {
      if (!table.headers.includes('ID')) continue
      for (const row of table.rows) {
        const id = row['ID']!
        if (!/^(BO|PA|PRG|COOP)-\d{2}$/.test(id)) continue
        out.push(factOf(prefix, section, slug, table.headers, row, sectionTags))
      }
    }
  }
  return out
}

function factOf(
  prefix: string,
  section: Section,
  slug: string,
  headers: string[],
  row: Row,
  sectionTags: Status[],
): FactEs {
  const id = row['ID']!
  const sourceHeader = headers.find((h) => h.startsWith('Fuente'))
  const body = headers.filter((h) => h !== 'ID' && h !== 'Paso' && h !== sourceHeader)
  const cell = (h: string | undefined) => (h === undefined ? '' : plain(row[h] ?? ''))
  let title = cell(body[0])
  let textEs = ''
  let source = sourceHeader ? plain(row[sourceHeader]!) : ''
  const allCells = headers.map((h) => row[h] ?? '').join(' ')
  let tags = tagsIn(allCells)

  const key = `${prefix} ${section.number}`
  if (key === 'PRG 3') {
    const horario = cell('Horario')
    textEs = sentence(cell('Hito')) + (horario && horario !== '—' ? ` Horario: ${horario}.` : '')
  } else if (key === 'PRG 4.2') {
    const what = cell(headers[2])
    const examples = cell(headers[3])
    title = title.replace(/^\d+\.\s*/, '')
    textEs = sentence(withoutInlineCitations(what))
    if (examples) textEs += ` Ejemplos: ${sentence(withoutInlineCitations(examples))}`
    source = inlineSources(`${what} ${examples}`).join(', ')
  } else if (key === 'PRG 5') {
    title = title.replace(/^\d+\.\s*/, '')
    textEs = sentence(cell('Actividades (informe)') || cell(body[1]))
    const actores = cell('Actores')
    if (actores) textEs += ` Actores: ${sentence(actores)}`
  } else if (key === 'PRG 9') {
    title = 'Tema de capacitación'
    textEs = sentence(cell('Tema'))
  } else if (key === 'PRG 2') {
    title = /^objetivo/i.test(title) ? title : `Objetivo ${title.toLowerCase()}`
    textEs = sentence(cell(body[1]))
  } else if (key === 'BO 5') {
    const monto = cell('Monto (Bs)')
    textEs =
      monto && monto !== '—'
        ? `${title}: ${monto.replace(/^(\d+)/, '$1 Bs')}, según la tabla de la AFCOOP.`
        : sentence(title)
  } else if (key === 'BO 8') {
    textEs = `${sentence(cell('Qué es'))} Dónde se registra: ${sentence(cell('Dónde se registra'))}`
  } else if (key === 'COOP 3') {
    title = `Principio ${cell('N.°')}: ${cell('Nombre (variantes)')}`
    textEs = sentence(cell(headers[3]))
  } else if (key === 'COOP 4') {
    title = `Principio (CPE art. 55): ${cell('Principio')}`
    textEs = sentence(cell(headers[2]))
  } else if (key === 'COOP 5') {
    const nota = row['Nota por país · fuente · etiqueta'] ?? ''
    textEs = sentence(cell('Qué significa'))
    if (plain(nota) !== '—') textEs += ` ${sentence(plain(nota))}`
    const ids = [...new Set([...nota.matchAll(/\b(?:BO|PA|PRG|COOP)-\d{2}\b/g)].map((m) => m[0]))]
    source = ids.join(', ')
  } else if (body.length === 1) {
    // ID | dato | fuente: documents name themselves; other data take the section as title
    title = section.heading.startsWith('Documentos') ? cell(body[0]) : sectionTitle(section.heading)
    textEs = sentence(cell(body[0]))
  } else if (body.length >= 2) {
    const rest = body.slice(1).filter((h) => cell(h) !== '' && cell(h) !== '—')
    if (body[1] === 'Valor') {
      textEs = `${title}: ${sentence(cell('Valor'))}`
    } else {
      textEs = rest
        .map((h, i) => (i === 0 ? sentence(cell(h)) : `${h}: ${sentence(cell(h))}`))
        .join(' ')
    }
    if (textEs === '') textEs = sentence(title)
  }

  if (SECTION_SOURCE[key])
    source = source ? `${source}; ${SECTION_SOURCE[key]}` : SECTION_SOURCE[key]
  if (source === '') source = 'Sin fuente'
  const fromSection = tags.length === 0
  if (fromSection) tags = sectionTags
  const status = mostCautious(tags) ?? UNTAGGED_DEFAULT
  if (fromSection) {
    // the table's note gives the tags; the source field carries them
  } else if (tags.length > 1 && sourceHeader) {
    const nuance = tagNuance(row[sourceHeader]!)
    if (nuance) textEs += ` Confianza: ${nuance}.`
  } else if (tags.length > 1 && !textEs.includes('[')) {
    textEs += ` Confianza: ${tags.map((t) => `[${t.replace('_', ' ')}]`).join(', ')}.`
  }

  let country: Fact['country'] = prefix === 'BO' || prefix === 'PA' ? prefix : 'ambos'
  if (prefix === 'PRG') {
    if (section.number.startsWith('4')) country = 'PA'
    if (section.number === '5') country = 'BO'
    const pais = cell('País')
    if (pais === 'BO' || pais === 'PA') country = pais
    country = PRG_COUNTRY[id] ?? country
  }
  if (prefix === 'COOP') {
    if (section.number === '4' || id === 'COOP-04') country = 'BO'
    if (id === 'COOP-05') country = 'PA'
  }
  return { id, country, section: slug, titleEs: title, textEs: textEs.trim(), status, source }
}

// ---------------------------------------------------------------------------------------------
// FAQ

type FaqEs = Omit<Faq, 'questionEn' | 'answerEn' | 'keywords'>

export function faqsOf(markdown: string): FaqEs[] {
  const out: FaqEs[] = []
  const blocks = markdown.split(/^### /m).slice(1)
  for (const block of blocks) {
    const [head, ...lines] = block.split('\n')
    const m = /^(FAQ-\d{2})\s*·\s*(.*)$/.exec(head!.trim())
    if (!m) continue
    const meta = lines.find((l) => l.startsWith('- país:')) ?? ''
    const basis = (lines.find((l) => l.startsWith('- base:')) ?? '').replace('- base:', '')
    const answer = lines
      .filter((l) => l.startsWith('>'))
      .map((l) => l.replace(/^>\s?/, ''))
      .join(' ')
    const country = /país:\s*`(BO|PA|ambos)`/.exec(meta)?.[1] as Faq['country'] | undefined
    const confidence = meta.replace(/^.*confianza:\s*/, '')
    // an answer that carries the «por confirmar» note is por_confirmar even when its confidence
    // line forgot that part (FAQ-21, FAQ-22, FAQ-24, FAQ-36)
    const noted: Status[] = /por confirmar/i.test(answer) ? ['por_confirmar'] : []
    const status = mostCautious([...tagsIn(confidence), ...noted])
    if (!country || !status) throw new Error(`${m[1]}: no country or confidence tag`)
    out.push({
      id: m[1]!,
      country,
      questionEs: plain(m[2]!),
      answerEs: plain(answer),
      status,
      confidenceEs: plain(confidence),
      basis: plain(basis),
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Programmes, requirements, partners (built from the facts), regions and rubros (public lists)

type PhaseSpec = { fact: string; aliasesEs?: string[] }

function programmes(facts: FactEs[]): Omit<Programme, 'nameEn' | 'descriptionEn'>[] {
  const byId = new Map(facts.map((f) => [f.id, f]))
  const phase = (programmeId: string, order: number, spec: PhaseSpec) => {
    const f = byId.get(spec.fact)
    if (!f) throw new Error(`missing phase fact ${spec.fact}`)
    // the phase is what the seed report says (S1 · [confirmado]); the examples from other
    // sources stay in the fact, not in the phase description
    let descriptionEs = f.textEs.replace(/\s*Ejemplos:.*$/, '').replace(/\s*Actores:.*$/, '')
    const aliases = spec.aliasesEs ?? []
    if (aliases.length > 0) {
      descriptionEs += ` También llamada ${aliases.map((a) => `«${a}»`).join(' o ')}.`
    }
    return {
      id: `${programmeId}-${order}`,
      order,
      nameEs: f.titleEs,
      nameEn: '',
      aliasesEs: aliases,
      descriptionEs,
      descriptionEn: '',
      source: spec.fact,
      status: 'confirmado' as const,
    }
  }
  return [
    {
      id: 'PA-ECV',
      country: 'PA',
      nameEs: 'Eje Cambiando Vidas (MITRADEL)',
      descriptionEs:
        'Programa de cooperativas del Ministerio de Trabajo y Desarrollo Laboral de Panamá, nacido como respuesta a la pandemia de COVID-19, para lograr la independencia económica de las mujeres a través de cooperativas, con intervenciones y acciones de formación. Si sigue vigente hoy está por confirmar (PRG-35).',
      source: 'PRG-08, PRG-13, PRG-30, PRG-35, PRG-40, PRG-41, PRG-42',
      status: 'confirmado',
      phases: [
        phase('PA-ECV', 1, { fact: 'PRG-40', aliasesEs: ['Identificación de la comunidad'] }),
        phase('PA-ECV', 2, { fact: 'PRG-41' }),
        phase('PA-ECV', 3, { fact: 'PRG-42' }),
      ],
    },
    {
      id: 'BO-ATC',
      country: 'BO',
      nameEs: 'Programa de Asistencia Técnica para el Apoyo a cooperativas productivas de mujeres',
      descriptionEs:
        'Propuesta del Ministerio de Trabajo, Empleo y Previsión Social (MTEPS), ejecutada por el Viceministerio de Empleo, Servicio Civil y Cooperativas, para impulsar cooperativas que den a las mujeres empleo y autoempleo sostenible. El MTEPS anunció que ejecutaría primero las fases 1 y 2. Su estado actual (aprobación, presupuesto, regiones, fecha de inicio) está por confirmar (PRG-09).',
      source: 'PRG-05, PRG-07, PRG-09, PRG-10, PRG-50, PRG-51, PRG-52, PRG-53, PRG-54',
      status: 'confirmado',
      phases: [
        phase('BO-ATC', 1, { fact: 'PRG-50' }),
        phase('BO-ATC', 2, { fact: 'PRG-51' }),
        phase('BO-ATC', 3, { fact: 'PRG-52' }),
        phase('BO-ATC', 4, { fact: 'PRG-53' }),
      ],
    },
  ]
}

/** PA-36 («número exacto de copias y formato vigente») is an open question, not a document. */
const NOT_A_REQUIREMENT = new Set(['PA-36'])

function requirements(facts: FactEs[]): Omit<Requirement, 'titleEn'>[] {
  const out: Omit<Requirement, 'titleEn'>[] = []
  for (const country of ['BO', 'PA'] as const) {
    const own = facts.filter((f) => f.country === country && !NOT_A_REQUIREMENT.has(f.id))
    own
      .filter((f) => f.section === 'pasos')
      .forEach((f, i) => out.push(requirementOf(f, country, i + 1, 'step')))
    // documents after the steps, from 101, so a step can be added without renumbering them
    own
      .filter((f) => f.section === 'documentos')
      .forEach((f, i) => out.push(requirementOf(f, country, 101 + i, 'document')))
  }
  return out
}

function requirementOf(
  f: FactEs,
  country: 'BO' | 'PA',
  order: number,
  kind: 'step' | 'document',
): Omit<Requirement, 'titleEn'> {
  return { id: f.id, country, order, kind, titleEs: f.titleEs, source: f.source, status: f.status }
}

const PARTNER_KIND: Record<string, Partner['kind']> = {
  MTEPS: 'ministerio',
  AFCOOP: 'autoridad',
  MITRADEL: 'ministerio',
  IPACOOP: 'instituto',
  AMPYME: 'autoridad',
  INAMU: 'instituto',
  INADEH: 'instituto',
  MiCultura: 'ministerio',
  MIDA: 'ministerio',
  ARAP: 'autoridad',
  ATP: 'autoridad',
  'OEA / RIAL': 'organismo-internacional',
}

function partners(programa: string, facts: FactEs[]): Partner[] {
  const section = sections(programa).find((s) => s.number === '10')!
  const out: Partner[] = []
  for (const row of tables(section)[0]!.rows) {
    const sigla = plain(row['Sigla']!)
    if (sigla === '—') continue
    const kind = PARTNER_KIND[sigla]
    if (!kind) throw new Error(`partner ${sigla}: no kind`)
    const nombre = plain(row['Nombre']!)
    const pais = plain(row['País']!)
    const fuente = row['Fuente · etiqueta']!
    const name =
      sigla === 'ATP'
        ? 'ATP (nombre completo por confirmar; probablemente Autoridad de Turismo de Panamá)'
        : `${sigla} – ${nombre}`
    out.push({
      id: sigla.replace(' / ', '-').toUpperCase(),
      name,
      country: pais === 'BO' || pais === 'PA' ? pais : 'ambos',
      kind,
      source: `programa.md §10: ${plain(fuente)}`,
      status: mostCautious(tagsIn(fuente)) ?? 'confirmado',
    })
  }
  const concobol = facts.find((f) => f.id === 'BO-19')!
  out.push({
    id: 'CONCOBOL',
    name: 'CONCOBOL – Confederación Nacional de Cooperativas de Bolivia',
    country: 'BO',
    kind: 'confederacion',
    source: `BO-19: ${concobol.source}`,
    status: concobol.status,
  })
  return out
}

/** Public geography (not programme facts): ISO-like codes as in the schema's examples. */
const REGIONS: Region[] = [
  { id: 'BO-CH', country: 'BO', kind: 'departamento', name: 'Chuquisaca' },
  { id: 'BO-LP', country: 'BO', kind: 'departamento', name: 'La Paz' },
  { id: 'BO-CB', country: 'BO', kind: 'departamento', name: 'Cochabamba' },
  { id: 'BO-OR', country: 'BO', kind: 'departamento', name: 'Oruro' },
  { id: 'BO-PT', country: 'BO', kind: 'departamento', name: 'Potosí' },
  { id: 'BO-TJ', country: 'BO', kind: 'departamento', name: 'Tarija' },
  { id: 'BO-SC', country: 'BO', kind: 'departamento', name: 'Santa Cruz' },
  { id: 'BO-BE', country: 'BO', kind: 'departamento', name: 'Beni' },
  { id: 'BO-PD', country: 'BO', kind: 'departamento', name: 'Pando' },
  // Panama: ISO 3166-2:PA numbers for the provinces
  { id: 'PA-1', country: 'PA', kind: 'provincia', name: 'Bocas del Toro' },
  { id: 'PA-2', country: 'PA', kind: 'provincia', name: 'Coclé' },
  { id: 'PA-3', country: 'PA', kind: 'provincia', name: 'Colón' },
  { id: 'PA-4', country: 'PA', kind: 'provincia', name: 'Chiriquí' },
  { id: 'PA-5', country: 'PA', kind: 'provincia', name: 'Darién' },
  { id: 'PA-6', country: 'PA', kind: 'provincia', name: 'Herrera' },
  { id: 'PA-7', country: 'PA', kind: 'provincia', name: 'Los Santos' },
  { id: 'PA-8', country: 'PA', kind: 'provincia', name: 'Panamá' },
  { id: 'PA-9', country: 'PA', kind: 'provincia', name: 'Veraguas' },
  { id: 'PA-10', country: 'PA', kind: 'provincia', name: 'Panamá Oeste' },
  // the comarcas with provincial rank (ISO codes), then the two with corregimiento rank
  { id: 'PA-KY', country: 'PA', kind: 'comarca', name: 'Comarca Guna Yala' },
  { id: 'PA-EM', country: 'PA', kind: 'comarca', name: 'Comarca Emberá-Wounaan' },
  { id: 'PA-NB', country: 'PA', kind: 'comarca', name: 'Comarca Ngäbe-Buglé' },
  { id: 'PA-NT', country: 'PA', kind: 'comarca', name: 'Comarca Naso Tjër Di' },
  { id: 'PA-MAD', country: 'PA', kind: 'comarca', name: 'Comarca Guna de Madungandí' },
  { id: 'PA-WAR', country: 'PA', kind: 'comarca', name: 'Comarca Guna de Wargandí' },
]

/**
 * Sectors that appear in the content (PRG-71, PRG-45, PRG-47, PA-60), plus "otro". The official
 * classification is por confirmar (PRG-70, PRG-72): staff edit this list in the panel.
 */
const RUBROS: Omit<Rubro, 'nameEn'>[] = [
  { id: 'agricultura', nameEs: 'Agricultura', source: 'PRG-71, PRG-45, PRG-47' },
  { id: 'artesania', nameEs: 'Artesanía', source: 'PRG-71, PRG-45, PRG-47' },
  { id: 'servicios-multiples', nameEs: 'Servicios múltiples', source: 'PRG-71, PRG-46' },
  { id: 'cosmetica', nameEs: 'Cosmética artesanal', source: 'PA-60' },
  { id: 'otro', nameEs: 'Otro', source: '' },
]

// ---------------------------------------------------------------------------------------------
// Output: keep the hand-written English of the current files

type Keyed = { id: string }

function previous<K extends ContentName>(name: K, dir: string): Map<string, Keyed> {
  const file = join(dir, `${name}.json`)
  if (!existsSync(file)) return new Map()
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Keyed[]
  return new Map(rows.map((r) => [r.id, r]))
}

function keepEnglish<T extends Keyed>(
  rows: T[],
  before: Map<string, Keyed>,
  fields: string[],
): T[] {
  return rows.map((row) => {
    const old = before.get(row.id) as Record<string, unknown> | undefined
    const mine = row as Record<string, unknown>
    const kept = Object.fromEntries(fields.map((f) => [f, old?.[f] ?? mine[f]]))
    return { ...row, ...kept }
  })
}

async function write(name: ContentName, rows: unknown[], dir: string): Promise<void> {
  contentFiles[name].parse(rows)
  const file = join(dir, `${name}.json`)
  // formatted as `npx prettier --write` would, so a re-run leaves unchanged files unchanged
  const options = (await prettier.resolveConfig(file)) ?? {}
  const json = await prettier.format(JSON.stringify(rows), { ...options, filepath: file })
  writeFileSync(file, json)
  console.log(`${name}.json: ${rows.length}`)
}

export function extract(contentDir: string): Omit<Content, never> {
  const read = (f: string) => readFileSync(join(contentDir, f), 'utf8')
  const programa = read('programa.md')
  const facts = [
    ...factsOf('PRG', programa),
    ...factsOf('BO', read('bolivia.md')),
    ...factsOf('PA', read('panama.md')),
    ...factsOf('COOP', read('cooperativismo.md')),
  ]
  const emptyEn = { titleEn: '', textEn: '', nameEn: '', descriptionEn: '' }
  return {
    facts: facts.map((f) => ({ ...f, titleEn: '', textEn: '' })),
    programmes: programmes(facts).map((p) => ({ ...p, ...emptyEn, phases: p.phases })),
    requirements: requirements(facts).map((r) => ({ ...r, titleEn: '' })),
    partners: partners(programa, facts),
    regions: REGIONS,
    rubros: RUBROS.map((r) => ({ ...r, nameEn: '' })),
    faq: faqsOf(read('faq.md')).map((f) => ({ ...f, questionEn: '', answerEn: '', keywords: [] })),
  }
}

async function main(): Promise<void> {
  const contentDir = process.argv[2] ?? '/work/shared/content'
  const dir = CONTENT_DIR
  const c = extract(contentDir)
  await write('facts', keepEnglish(c.facts, previous('facts', dir), ['titleEn', 'textEn']), dir)
  const oldProgrammes = previous('programmes', dir) as Map<string, Keyed & Partial<Programme>>
  await write(
    'programmes',
    c.programmes.map((p) => {
      const old = oldProgrammes.get(p.id)
      const oldPhases = new Map((old?.phases ?? []).map((ph) => [ph.id, ph]))
      return {
        ...p,
        nameEn: old?.nameEn ?? '',
        descriptionEn: old?.descriptionEn ?? '',
        phases: p.phases.map((ph) => ({
          ...ph,
          nameEn: oldPhases.get(ph.id)?.nameEn ?? '',
          descriptionEn: oldPhases.get(ph.id)?.descriptionEn ?? '',
        })),
      }
    }),
    dir,
  )
  await write(
    'requirements',
    keepEnglish(c.requirements, previous('requirements', dir), ['titleEn']),
    dir,
  )
  await write('partners', c.partners, dir)
  await write('regions', c.regions, dir)
  await write('rubros', keepEnglish(c.rubros, previous('rubros', dir), ['nameEn']), dir)
  await write(
    'faq',
    keepEnglish(c.faq, previous('faq', dir), ['questionEn', 'answerEn', 'keywords']),
    dir,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
