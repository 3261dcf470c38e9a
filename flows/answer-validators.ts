import { z } from 'zod'
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { normalizeText, wordsOf } from './normalize-text.ts'
import { numberFromText } from './number-words.ts'

export const ValidatorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(1).optional(),
  }),
  z.object({ kind: z.literal('integer'), min: z.number().int(), max: z.number().int() }),
  z.object({ kind: z.literal('date') }),
  z.object({ kind: z.literal('phone'), country: z.enum(['BO', 'PA']).optional() }),
  z.object({ kind: z.literal('yesno') }),
])
export type Validator = z.infer<typeof ValidatorSchema>

export type ValidationFailure =
  | 'empty'
  | 'tooShort'
  | 'tooLong'
  | 'notInteger'
  | 'outOfRange'
  | 'notDate'
  | 'notPhone'
  | 'notYesNo'

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: ValidationFailure }

/** What a validator needs from the world: today, and her country for phone numbers. */
export type ValidationContext = { now: Date; country: 'BO' | 'PA' | null }

/** Her answer checked and normalised: trimmed text, a number, an ISO date, an E.164 number, a boolean. */
export function validateAnswer(
  text: string,
  validator: Validator,
  env: ValidationContext,
): Validation<string | number | boolean> {
  switch (validator.kind) {
    case 'text':
      return validateText(text, validator.min ?? 1, validator.max ?? 2000)
    case 'integer':
      return validateInteger(text, validator.min, validator.max)
    case 'date':
      return validateDate(text, env)
    case 'phone':
      return validatePhone(text, validator.country ?? env.country)
    case 'yesno':
      return validateYesNo(text)
  }
}

export function validateText(text: string, min: number, max: number): Validation<string> {
  const value = text.trim()
  if (normalizeText(value) === '') return { ok: false, reason: 'empty' }
  const length = [...value].length
  if (length < min) return { ok: false, reason: 'tooShort' }
  if (length > max) return { ok: false, reason: 'tooLong' }
  return { ok: true, value }
}

export function validateInteger(text: string, min: number, max: number): Validation<number> {
  const trimmed = text.trim()
  const n = /^[-+]?\d{1,15}$/.test(trimmed) ? Number(trimmed) : numberFromText(trimmed)
  if (n === null || !Number.isSafeInteger(n)) return { ok: false, reason: 'notInteger' }
  if (n < min || n > max) return { ok: false, reason: 'outOfRange' }
  return { ok: true, value: n }
}

/** Bolivia is UTC−4 and Panama UTC−5, all year: "hoy" is her day, not the server's. */
const UTC_OFFSET_HOURS = { BO: -4, PA: -5 } as const

const RELATIVE_DAYS: Record<string, number> = {
  hoy: 0,
  today: 0,
  manana: 1,
  tomorrow: 1,
  'pasado manana': 2,
  ayer: -1,
  yesterday: -1,
}

/** dd/mm/yyyy, d/m/yy (also with - or .), ISO yyyy-mm-dd, hoy/mañana/today/tomorrow. */
export function validateDate(text: string, env: ValidationContext): Validation<string> {
  const trimmed = text.trim()
  const relative = RELATIVE_DAYS[normalizeText(trimmed)]
  if (relative !== undefined) {
    const offset = UTC_OFFSET_HOURS[env.country ?? 'BO']
    const local = new Date(env.now.getTime() + offset * 3_600_000)
    local.setUTCDate(local.getUTCDate() + relative)
    return { ok: true, value: local.toISOString().slice(0, 10) }
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed)
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(trimmed)
  const parts = iso
    ? { y: Number(iso[1]), m: Number(iso[2]), d: Number(iso[3]) }
    : dmy
      ? {
          y: Number(dmy[3]) + (dmy[3]!.length === 2 ? 2000 : 0),
          m: Number(dmy[2]),
          d: Number(dmy[1]),
        }
      : null
  if (!parts) return { ok: false, reason: 'notDate' }
  const date = new Date(Date.UTC(parts.y, parts.m - 1, parts.d))
  const real =
    date.getUTCFullYear() === parts.y &&
    date.getUTCMonth() === parts.m - 1 &&
    date.getUTCDate() === parts.d
  return real
    ? { ok: true, value: date.toISOString().slice(0, 10) }
    : { ok: false, reason: 'notDate' }
}

export function validatePhone(text: string, country: CountryCode | null): Validation<string> {
  const phone = parsePhoneNumberFromString(text.trim().slice(0, 40), country ?? undefined)
  return phone?.isValid() ? { ok: true, value: phone.number } : { ok: false, reason: 'notPhone' }
}

const YES = new Set(['si', 's', 'yes', 'y', 'claro', 'ok', 'okay', 'dale', 'bueno', 'sure', '1'])
const NO = new Set(['no', 'n', 'nop', 'nope', '2'])

/** sí/no in Spanish and English; "sí, claro" is yes, "no sé" is not an answer. */
export function validateYesNo(text: string): Validation<boolean> {
  const words = wordsOf(normalizeText(text))
  const first = words[0]
  if (first === undefined) return { ok: false, reason: 'empty' }
  const yes = words.every((w) => YES.has(w))
  const no = words.every((w) => NO.has(w))
  if (yes && !no) return { ok: true, value: true }
  if (no && !yes) return { ok: true, value: false }
  return { ok: false, reason: 'notYesNo' }
}
