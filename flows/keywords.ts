import { normalizeText } from './normalize-text.ts'

/** Words that work from any step, whatever the question. */
export type Keyword = 'menu' | 'help' | 'back' | 'human' | 'language' | 'optout' | 'erase'

/** Whole messages (normalised: lower case, no accents or punctuation), Spanish and English. */
const KEYWORD_PHRASES: Record<Keyword, readonly string[]> = {
  menu: ['menu', 'menu principal', 'main menu', 'inicio', 'volver al menu', 'ir al menu', '0'],
  help: ['ayuda', 'help'],
  back: ['atras', 'volver', 'regresar', 'back'],
  human: ['humano', 'humana', 'asesora', 'asesor', 'persona', 'human', 'agent', 'person'],
  language: ['idioma', 'language', 'cambiar idioma', 'change language'],
  optout: ['baja', 'stop', 'darme de baja', 'unsubscribe'],
  erase: ['borrar mis datos', 'borrar datos', 'eliminar mis datos', 'delete my data'],
}

const BY_PHRASE = new Map<string, Keyword>(
  Object.entries(KEYWORD_PHRASES).flatMap(([keyword, phrases]) =>
    phrases.map((p) => [p, keyword as Keyword] as const),
  ),
)

/**
 * The keyword a message is, or null. Only the whole message counts ("Cholas" is not "hola",
 * "necesito ayuda con el estatuto" is not AYUDA): a keyword inside a sentence is an answer.
 */
export function matchKeyword(text: string): Keyword | null {
  if (text.length > 100) return null
  return BY_PHRASE.get(normalizeText(text)) ?? null
}

/** Every phrase that is a keyword, normalised (the static checks keep option labels apart). */
export function keywordPhrases(): ReadonlyMap<string, Keyword> {
  return BY_PHRASE
}
