// How a seeded fact's text is made fit for a chat message: the confidence tags the content
// extraction left inside some texts are removed, long texts are shortened at a sentence (or
// word) boundary, and a source such as "P6, P7 · [secundario]" becomes names she can read.

export type Lang = 'es' | 'en'
export type Country = 'BO' | 'PA'
export type Status = 'confirmado' | 'secundario' | 'por_confirmar'

/** How a fact is framed (content/README.md): as fact, with the light hedge, or not at all. */
export type Variant = 'plain' | 'hedged' | 'pending'

export function langOf(value: unknown): Lang {
  return value === 'en' ? 'en' : 'es'
}

export function countryOf(value: unknown): Country | null {
  return value === 'BO' || value === 'PA' ? value : null
}

export function statusOf(value: unknown): Status {
  return value === 'confirmado' || value === 'secundario' ? value : 'por_confirmar'
}

const RANK: Record<Status, number> = { confirmado: 0, secundario: 1, por_confirmar: 2 }

/** The less certain of two statuses: a step is only as confirmed as its weakest row. */
export function weakest(a: Status, b: Status): Status {
  return RANK[a] >= RANK[b] ? a : b
}

export function variantOf(status: Status): Variant {
  if (status === 'confirmado') return 'plain'
  return status === 'secundario' ? 'hedged' : 'pending'
}

/** Drops the trailing "Confianza: [..]" / "Confidence: [..]" the content extraction appended. */
export function withoutTags(text: string): string {
  return text
    .replace(/\s*(Confianza|Confidence):[^]*$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * At most `max` characters: whole sentences when they fit, else whole words and "…". A fact
 * cut in the middle of a sentence would say something else.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)/gu) ?? []
  let kept = ''
  for (const s of sentences) {
    if ((kept + s).trimEnd().length > max - 1) break
    kept += s
  }
  if (kept.trim().length >= max / 3) return kept.trim()
  const cut = text.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/u, '')}…`
}

/**
 * The text as it follows the hedge «Según la información disponible, …»: its first letter in
 * lower case, unless it starts an acronym or a name in capitals ("AFCOOP", "IPACOOP").
 */
export function afterHedge(text: string): string {
  const [first, second] = [...text]
  if (!first || !second || second !== second.toLowerCase()) return text
  return first.toLowerCase() + text.slice(first.length)
}

/** Names of the sources cited by code in shared/content (README, "Sources actually read"). */
const SOURCE_NAMES: Record<string, Record<Lang, string>> = {
  S1: {
    es: 'informe de la cooperación MTEPS–MITRADEL (RIAL/OEA)',
    en: 'report of the MTEPS–MITRADEL cooperation (RIAL/OAS)',
  },
  C1: {
    es: 'Alianza Cooperativa Internacional (ACI)',
    en: 'International Cooperative Alliance (ICA)',
  },
  P6: {
    es: 'guía de talleres de Global Brigades',
    en: 'Global Brigades workshop guide',
  },
  P7: {
    es: 'documento «¿Cuáles son los requisitos para formar una cooperativa?»',
    en: 'document «¿Cuáles son los requisitos para formar una cooperativa?»',
  },
  'PA-11': {
    es: 'documento del IPACOOP «Descripción de formularios»',
    en: 'IPACOOP document «Descripción de formularios»',
  },
  'gob.bo 2932': { es: 'gob.bo, trámite 2932', en: 'gob.bo, procedure 2932' },
}

/**
 * A source as she can read it: the part before the first " · " (the rest is the confidence
 * tag), fact ids in brackets dropped, codes replaced by names. Empty when there is none.
 */
export function sourceName(source: string, lang: Lang): string {
  const head = source.split(' · ')[0]!.trim()
  if (head === '' || head.startsWith('[')) return ''
  return head
    .split(/[,;]\s*/u)
    .map((part) => part.replace(/\s*\((BO|PA|PRG|COOP|FAQ)-\d+\)/gu, '').trim())
    .filter((part) => part !== '')
    .map((part) => SOURCE_NAMES[part]?.[lang] ?? part)
    .join('; ')
}
