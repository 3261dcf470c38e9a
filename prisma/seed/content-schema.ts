// The shapes of prisma/seed/content/*.json: the programme content extracted once from the
// project's content files (see extract-content.ts) and read by the seed. Zod validates every file
// when it is loaded, so a hand edit that breaks a file fails loudly instead of seeding bad rows.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

export const CONTENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'content')

export const countrySchema = z.enum(['BO', 'PA'])
export const scopeSchema = z.enum(['BO', 'PA', 'ambos'])
/** Confidence tags of the content README: never show por_confirmar as fact. */
export const statusSchema = z.enum(['confirmado', 'secundario', 'por_confirmar'])
export type Status = z.infer<typeof statusSchema>

const text = z.string()

export const phaseSchema = z.object({
  id: z.string().regex(/^(PA|BO)-[A-Z]+-\d+$/),
  order: z.number().int().positive(),
  nameEs: text,
  nameEn: text,
  /** Other names the content gives the same phase (e.g. Panama's phase 1). Not stored. */
  aliasesEs: z.array(z.string()).default([]),
  descriptionEs: text,
  descriptionEn: text,
  source: text,
  status: statusSchema,
})

export const programmeSchema = z.object({
  id: z.string().regex(/^(PA|BO)-[A-Z]+$/),
  country: countrySchema,
  nameEs: text,
  nameEn: text,
  /** Not stored: the Programme model has no description column (see the seed report). */
  descriptionEs: text,
  descriptionEn: text,
  source: text,
  status: statusSchema,
  phases: z.array(phaseSchema),
})

export const factSchema = z.object({
  id: z.string().regex(/^(BO|PA|PRG|COOP)-\d{2}$/),
  country: scopeSchema,
  section: z.string().regex(/^[a-z-]+$/),
  titleEs: text,
  textEs: text,
  titleEn: text,
  textEn: text,
  status: statusSchema,
  source: text,
})

export const requirementSchema = z.object({
  id: z.string().regex(/^(BO|PA)-\d{2}$/),
  country: countrySchema,
  order: z.number().int().positive(),
  kind: z.enum(['step', 'document']),
  titleEs: text,
  titleEn: text,
  source: text,
  status: statusSchema,
})

export const regionSchema = z.object({
  id: z.string().regex(/^(BO|PA)-[A-Z0-9]+$/),
  country: countrySchema,
  kind: z.enum(['departamento', 'provincia', 'comarca']),
  name: text,
})

export const rubroSchema = z.object({
  id: z.string().regex(/^[a-z-]+$/),
  nameEs: text,
  nameEn: text,
  /** Where the content mentions the sector (fact ids); empty for "otro". Not stored. */
  source: text,
})

export const partnerSchema = z.object({
  id: z.string().regex(/^[A-Z][A-Z0-9-]*$/),
  name: text,
  country: scopeSchema,
  kind: z.enum([
    'ministerio',
    'autoridad',
    'instituto',
    'confederacion',
    'organismo-internacional',
  ]),
  /** Not stored: the Partner model has no source or status column. */
  source: text,
  status: statusSchema,
})

export const faqSchema = z.object({
  id: z.string().regex(/^FAQ-\d{2}$/),
  country: scopeSchema,
  questionEs: text,
  answerEs: text,
  questionEn: text,
  answerEn: text,
  keywords: z.array(z.string()),
  /** The most cautious tag of the entry's «confianza» line. */
  status: statusSchema,
  /** The «confianza» line as written in faq.md (mixed tags keep their nuance here). Not stored. */
  confidenceEs: text,
  basis: text,
})

export type Programme = z.infer<typeof programmeSchema>
export type Phase = z.infer<typeof phaseSchema>
export type Fact = z.infer<typeof factSchema>
export type Requirement = z.infer<typeof requirementSchema>
export type Region = z.infer<typeof regionSchema>
export type Rubro = z.infer<typeof rubroSchema>
export type Partner = z.infer<typeof partnerSchema>
export type Faq = z.infer<typeof faqSchema>

export const contentFiles = {
  programmes: z.array(programmeSchema),
  facts: z.array(factSchema),
  requirements: z.array(requirementSchema),
  regions: z.array(regionSchema),
  rubros: z.array(rubroSchema),
  partners: z.array(partnerSchema),
  faq: z.array(faqSchema),
} as const

export type ContentName = keyof typeof contentFiles
export type Content = { [K in ContentName]: z.infer<(typeof contentFiles)[K]> }

/** Reads and validates one content file. */
export function readContentFile<K extends ContentName>(name: K, dir = CONTENT_DIR): Content[K] {
  const raw: unknown = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))
  const parsed = contentFiles[name].safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`${name}.json: ${issue.path.join('.')}: ${issue.message}`)
  }
  return parsed.data as Content[K]
}

/** Reads and validates every content file. */
export function loadContent(dir = CONTENT_DIR): Content {
  return {
    programmes: readContentFile('programmes', dir),
    facts: readContentFile('facts', dir),
    requirements: readContentFile('requirements', dir),
    regions: readContentFile('regions', dir),
    rubros: readContentFile('rubros', dir),
    partners: readContentFile('partners', dir),
    faq: readContentFile('faq', dir),
  }
}
