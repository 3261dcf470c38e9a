import { normalizeText } from './normalize-text.ts'

/** Cardinals and ordinals people write instead of a digit, Spanish and English, normalised. */
const NUMBER_WORDS: Record<string, number> = {
  cero: 0, zero: 0,
  uno: 1, una: 1, one: 1, primero: 1, primera: 1, primer: 1, first: 1,
  dos: 2, two: 2, segundo: 2, segunda: 2, second: 2,
  tres: 3, three: 3, tercero: 3, tercera: 3, tercer: 3, third: 3,
  cuatro: 4, four: 4, cuarto: 4, cuarta: 4, fourth: 4,
  cinco: 5, five: 5, quinto: 5, quinta: 5, fifth: 5,
  seis: 6, six: 6, sexto: 6, sexta: 6, sixth: 6,
  siete: 7, seven: 7, septimo: 7, septima: 7, setimo: 7, setima: 7, seventh: 7,
  ocho: 8, eight: 8, octavo: 8, octava: 8, eighth: 8,
  nueve: 9, nine: 9, noveno: 9, novena: 9, ninth: 9,
  diez: 10, ten: 10, decimo: 10, decima: 10, tenth: 10,
} // prettier-ignore

/** "2", "2º", "2da", "2nd" (normalised: "2o", "2da", "2nd"). */
const DIGITS_WITH_SUFFIX =
  /^(\d{1,3})(?:o|a|do|da|ro|ra|er|era|to|ta|vo|va|no|na|mo|ma|st|nd|rd|th)?$/

/**
 * The number one normalised word stands for — a digit, a keycap, a number word or an
 * ordinal — or null.
 */
export function numberFromWord(word: string): number | null {
  const digits = DIGITS_WITH_SUFFIX.exec(word)
  if (digits) return Number(digits[1])
  return NUMBER_WORDS[word] ?? null
}

/** Words that may come before the number: "opción 2", "la segunda", "number 3". */
const FILLERS = new Set(['opcion', 'option', 'numero', 'number', 'nro', 'num', 'la', 'el', 'the'])

/** The number a whole message stands for ("2", "2️⃣", "dos", "la segunda", "opción 2"), or null. */
export function numberFromText(text: string): number | null {
  const words = normalizeText(text)
    .split(' ')
    .filter((w) => w !== '' && !FILLERS.has(w))
  return words.length === 1 ? numberFromWord(words[0]!) : null
}
