import Fuse from 'fuse.js'
import { containsPhrase, normalizeText, wordsOf } from './normalize-text.ts'
import { numberFromText } from './number-words.ts'

/** One option as she sees it: its label in her language and extra words that mean it. */
export type MatchableOption = { id: string; label: string; synonyms?: readonly string[] }

export type OptionMatch = { ok: true; optionId: string } | { ok: false }

/** Words that say nothing about which option she means. */
const STOPWORDS = new Set(
  (
    'a al con de del el en la las lo los mi mis o para por que se su sus u un una y ' +
    'an and for in my of on or the to with'
  ).split(' '),
)

/** Fuse's 0 (exact) .. 1 (anything) score a typo may reach. */
const TYPO_THRESHOLD = 0.3
/** Shorter words are too easy to confuse ("hola"/"cola"): they must be spelled right. */
const TYPO_MIN_LENGTH = 4
/** At most this many of her words are compared, whatever she pasted. */
const MAX_WORDS = 40

type Scored = { index: number; score: number; coverage: number }

/**
 * Which option a message means: a number as digit, keycap, word or ordinal ("2", "2️⃣", "dos",
 * "segunda", "second"); the exact label or a synonym; else the option whose label words
 * appear in the message as whole words, forgiving case, accents, punctuation and small typos.
 * Ties and nothing-in-common are no match: better to ask again than to guess.
 */
export function matchOption(text: string, options: readonly MatchableOption[]): OptionMatch {
  const message = normalizeText(text)
  if (message === '' || options.length === 0) return { ok: false }

  // The number first: it is what most people send, and it needs no label (labels may be
  // computed lazily, and translating them is the costly part).
  const n = numberFromText(message)
  if (n !== null) {
    const chosen = options[n - 1]
    return chosen ? { ok: true, optionId: chosen.id } : { ok: false }
  }

  const labels = options.map((o) => normalizeText(o.label))
  const synonyms = options.map((o) =>
    (o.synonyms ?? []).map((p) => normalizeText(p)).filter((p) => p !== ''),
  )
  const exact = options.filter((_, i) => labels[i] === message || synonyms[i]!.includes(message))
  if (exact.length === 1) return { ok: true, optionId: exact[0]!.id }
  if (exact.length > 1) return { ok: false }

  const ranked = scoreByWords(message, labels, synonyms).sort(
    (a, b) => b.score - a.score || b.coverage - a.coverage,
  )
  const [best, second] = ranked
  if (!best || best.score <= 0) return { ok: false }
  // Equal scores: only an option whose every word she said beats one she said part of
  // ("acepto" is "Acepto", not "No acepto"); otherwise ask again rather than guess.
  if (second && second.score === best.score && !(best.coverage === 1 && second.coverage < 1)) {
    return { ok: false }
  }
  return { ok: true, optionId: options[best.index]!.id }
}

function contentWords(phrase: string): string[] {
  const words = wordsOf(phrase)
  const content = words.filter((w) => !STOPWORDS.has(w))
  return [...new Set(content.length > 0 ? content : words)]
}

function scoreByWords(message: string, labels: string[], synonyms: string[][]): Scored[] {
  const said = [...new Set(wordsOf(message))].slice(0, MAX_WORDS)
  const saidSet = new Set(said)
  const labelWords = labels.map(contentWords)

  // Typos: each word she wrote, looked up among the label words it could be a misspelling of.
  const entries = labelWords.flatMap((words, index) =>
    words.filter((w) => w.length >= TYPO_MIN_LENGTH).map((word) => ({ word, index })),
  )
  const fuse = new Fuse(entries, {
    keys: ['word'],
    includeScore: true,
    threshold: TYPO_THRESHOLD,
    ignoreLocation: true,
    isCaseSensitive: true, // already normalised
  })
  const typoHits = labels.map(() => new Set<string>())
  for (const word of said) {
    if (word.length < TYPO_MIN_LENGTH) continue
    for (const hit of fuse.search(word)) {
      // Whole words only: "cholas" must not count as "hola" just because it contains it.
      if (closeInLength(word, hit.item.word)) typoHits[hit.item.index]!.add(hit.item.word)
    }
  }

  return labelWords.map((words, index) => {
    const exactHits = words.filter((w) => saidSet.has(w)).length
    const typos = [...typoHits[index]!].filter((w) => !saidSet.has(w)).length
    const synonymHit = synonyms[index]!.some((p) => containsPhrase(message, p))
    const matched = exactHits + typos
    return {
      index,
      score: exactHits + 0.75 * typos + (synonymHit ? 2 : 0),
      coverage: words.length > 0 ? matched / words.length : 0,
    }
  })
}

function closeInLength(a: string, b: string): boolean {
  const allowed = Math.max(a.length, b.length) >= 8 ? 2 : 1
  return Math.abs(a.length - b.length) <= allowed
}
