import { z } from 'zod'

/** The time zones staff schedule in: Bolivia and Panama (neither has daylight saving time). */
export const timezoneSchema = z.enum(['America/La_Paz', 'America/Panama'])
export type BroadcastTimezone = z.infer<typeof timezoneSchema>

export const localDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
export const localTimeSchema = z.string().regex(/^\d{2}:\d{2}$/)

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms (negative in the Americas). */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return wall - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * The instant a local date and time ("2026-12-01", "09:30") names in a time zone, computed with
 * Intl (no time-zone library). Checked twice so a zone with daylight saving time also works.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = localDateSchema.parse(date).split('-').map(Number) as [number, number, number]
  const [h, mi] = localTimeSchema.parse(time).split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  let at = asUtc - offsetMs(new Date(asUtc), timeZone)
  at = asUtc - offsetMs(new Date(at), timeZone)
  return new Date(at)
}

/** The local date and time of an instant in a time zone, for the form ("2026-12-01", "09:30"). */
export function utcToZoned(at: Date, timeZone: string): { date: string; time: string } {
  const local = new Date(at.getTime() + offsetMs(at, timeZone))
  const iso = local.toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
}
