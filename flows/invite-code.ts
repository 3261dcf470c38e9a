/**
 * A group's invite code: six characters from an alphabet without look-alikes (no 0/O, 1/I/L),
 * at least one letter and one digit, so that no ordinary word is a code. Other members send
 * "UNIRME ABC123", the code alone, or Telegram's deep link ("/start ABC123").
 */
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const INVITE_LENGTH = 6

/** Words before a code that say "join": Spanish, English, and Telegram's deep-link command. */
const PREFIXED = /^\s*(?:unirme|unirse|unir|join|\/start)\s*[:-]?\s+([a-z0-9-]{4,16})\s*$/i
const BARE = /^\s*([a-z0-9]{6})\s*$/i

/** Whether `code` has the shape the generator gives (six characters, letters and digits). */
export function isInviteShape(code: string): boolean {
  const upper = code.toUpperCase()
  return (
    upper.length === INVITE_LENGTH &&
    [...upper].every((ch) => INVITE_ALPHABET.includes(ch)) &&
    /[A-Z]/.test(upper) &&
    /\d/.test(upper)
  )
}

/**
 * The code a message carries, upper-cased, or null. `bare`: whether a code alone counts (not
 * while she is typing an answer in her own words).
 */
export function inviteCodeIn(text: string, bare: boolean): string | null {
  if (text.length > 60) return null
  const prefixed = PREFIXED.exec(text)
  if (prefixed) return prefixed[1]!.toUpperCase()
  if (!bare) return null
  const alone = BARE.exec(text)
  return alone && isInviteShape(alone[1]!) ? alone[1]!.toUpperCase() : null
}

/** A new random code; `random(n)` gives an integer in [0, n). */
export function newInviteCode(random: (n: number) => number): string {
  const chars = Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[random(ALPHABET_SIZE)]!)
  // at least one letter and one digit, so that a code is never a word
  if (!chars.some((c) => LETTERS.includes(c))) chars[0] = LETTERS[random(LETTERS.length)]!
  if (!chars.some((c) => DIGITS.includes(c)))
    chars[INVITE_LENGTH - 1] = DIGITS[random(DIGITS.length)]!
  return chars.join('')
}

const ALPHABET_SIZE = INVITE_ALPHABET.length
const LETTERS = INVITE_ALPHABET.replace(/\d/g, '')
const DIGITS = INVITE_ALPHABET.replace(/\D/g, '')
