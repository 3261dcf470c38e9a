import Fuse from 'fuse.js'
import type { Db } from '../../app/db/open.ts'
import { normalizeText, wordsOf } from '../../flows/normalize-text.ts'

// A small local search over the FAQ (no external service): her words are reduced to stems,
// each stem is looked up among the stems of the entries (exactly, or as a typo with fuse.js),
// and entries score by the rarer words they share with her, the question and keywords
// counting more than the answer. Only a clear winner is an answer.

export type FaqDoc = { id: string; question: string; keywords: string; answer: string }

export type FaqHit = { id: string; score: number }

/** Words that say nothing about what she asks (Spanish and English). */
const STOPWORDS = new Set(
  (
    'a al algo alguna ante aqui como con cual cuales cuando cuanta cuantas cuanto cuantos de ' +
    'del donde el ella ellas en entre era es esa ese esta este esto estan hay la las le les lo ' +
    'los me mi mis mucho muy nos nosotras nuestra nuestro nuestras nuestros o para pero por ' +
    'puede pueden puedo podemos porque que quien se ser si sin sobre son su sus tambien tener ' +
    'tengo tenemos tiene tienen todo todas un una uno unos unas usted ustedes y ya yo hola ' +
    'buenas buenos dias tardes noches gracias favor senora senor quiero queremos quisiera ' +
    'necesito necesitamos saber hacer hace dice decir ' +
    'an and are as at be can could do does for from has have how i in is it me my of on or ' +
    'our please should so the their there this to us we what when where which who why will ' +
    'with would you your hello hi thanks thank'
  ).split(' '),
)

/**
 * A word without its plural, cut to its first letters: "cooperativas" and "cooperativismo",
 * "socias" and "socia", "capacitaciones" and "capacitación" meet; "persona" and "personalidad"
 * do not.
 */
function stem(word: string): string {
  const singular =
    word.endsWith('es') && word.length > 5
      ? word.slice(0, -2)
      : word.endsWith('s') && word.length > 3
        ? word.slice(0, -1)
        : word
  return singular.slice(0, 8)
}

export function stemsOf(text: string): string[] {
  const words = wordsOf(normalizeText(text, 1000))
  return [...new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem))]
}

const FIELD_WEIGHT = { question: 3, keywords: 2, answer: 1 } as const
type Field = keyof typeof FIELD_WEIGHT

/** Typos: her stem may be this far (fuse.js score, 0 exact .. 1 anything) from an entry stem. */
const TYPO_THRESHOLD = 0.25
/** Below this share of the best possible score, no entry answers her. */
export const MIN_SCORE = 0.34
/** The winner must beat the runner-up by this factor, else it is a guess. */
const MARGIN = 1.15

/** The FAQ of one country and language, ready to search. */
export class FaqIndex {
  private readonly fields: { id: string; stems: Record<Field, Set<string>> }[]
  private readonly idf = new Map<string, number>()
  private readonly vocabulary: Fuse<string>

  constructor(docs: readonly FaqDoc[]) {
    this.fields = docs.map((d) => ({
      id: d.id,
      stems: {
        question: new Set(stemsOf(d.question)),
        keywords: new Set(stemsOf(d.keywords)),
        answer: new Set(stemsOf(d.answer)),
      },
    }))
    const df = new Map<string, number>()
    for (const doc of this.fields) {
      const all = new Set([...doc.stems.question, ...doc.stems.keywords, ...doc.stems.answer])
      for (const s of all) df.set(s, (df.get(s) ?? 0) + 1)
    }
    const n = Math.max(docs.length, 1)
    for (const [s, count] of df) this.idf.set(s, Math.log(1 + n / count))
    this.vocabulary = new Fuse(
      [...df.keys()].filter((s) => s.length >= 5),
      {
        includeScore: true,
        threshold: TYPO_THRESHOLD,
        ignoreLocation: true,
        isCaseSensitive: true,
      },
    )
  }

  /** The entry stems her stem stands for: itself if known, else its close misspellings. */
  private expand(s: string): string[] {
    if (this.idf.has(s)) return [s]
    if (s.length < 5) return []
    return this.vocabulary
      .search(s)
      .filter((hit) => Math.abs(hit.item.length - s.length) <= 1)
      .slice(0, 2)
      .map((hit) => hit.item)
  }

  /** Entries ranked by how well they answer `text`; scores are 0..1 (1: all her words). */
  search(text: string): FaqHit[] {
    const said = stemsOf(text).slice(0, 30)
    const known = said.map((s) => ({ s, as: this.expand(s) }))
    // a word the FAQ never uses still counts against a match, a little
    const weights = known.map(({ as }) =>
      as.length > 0 ? Math.max(...as.map((a) => this.idf.get(a)!)) : 0.5,
    )
    const best = weights.reduce((sum, w) => sum + w * FIELD_WEIGHT.question, 0)
    if (best === 0) return []
    return this.fields
      .map((doc) => {
        let score = 0
        for (const [i, { as }] of known.entries()) {
          let field = 0
          for (const a of as) {
            for (const f of ['question', 'keywords', 'answer'] as const) {
              if (doc.stems[f].has(a)) field = Math.max(field, FIELD_WEIGHT[f])
            }
          }
          score += field * weights[i]!
        }
        return { id: doc.id, score: score / best }
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
  }

  /** The one entry that clearly answers `text`, or null. */
  best(text: string): FaqHit | null {
    const [first, second] = this.search(text)
    if (!first || first.score < MIN_SCORE) return null
    if (second && first.score < second.score * MARGIN) return null
    return first
  }

  /** Whether `text` has words worth searching (and recording when nothing answers them). */
  static isQuestion(text: string): boolean {
    return stemsOf(text).length >= 2
  }
}

/**
 * How long a process trusts its built FAQ indexes before it checks the table again. Staff
 * edits in this process clear the cache at once (clearFaqCache); another process sees them
 * within this time.
 */
export const FAQ_STALE_CHECK_MS = 5_000

/** What changes when FaqEntry changes: its row count and latest `updatedAt`. */
export async function readFaqStamp(db: Pick<Db, 'faqEntry'>): Promise<string> {
  const agg = await db.faqEntry.aggregate({ _count: { _all: true }, _max: { updatedAt: true } })
  return `${agg._count._all}:${agg._max.updatedAt?.getTime() ?? 0}`
}

/**
 * Built values (one FAQ index per country and language) kept while the table's stamp stays
 * the same. The stamp is read at most once per `ttlMs`, so a search costs no query most of
 * the time, and several processes on one database all rebuild after an edit.
 */
export class StampedCache<T> {
  private checked: { at: number; stamp: string } | undefined
  private readonly built = new Map<string, { stamp: string; value: T }>()

  constructor(private readonly ttlMs: number) {}

  async get(
    key: string,
    now: number,
    readStamp: () => Promise<string>,
    build: () => Promise<T>,
  ): Promise<T> {
    if (!this.checked || now - this.checked.at >= this.ttlMs) {
      this.checked = { at: now, stamp: await readStamp() }
    }
    const { stamp } = this.checked
    const hit = this.built.get(key)
    if (hit?.stamp === stamp) return hit.value
    const value = await build()
    this.built.set(key, { stamp, value })
    return value
  }

  /** Forgets everything: the next `get` reads the stamp and rebuilds. */
  clear(): void {
    this.checked = undefined
    this.built.clear()
  }
}
