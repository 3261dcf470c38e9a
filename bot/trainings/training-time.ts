/** The programme's countries and the time zone their trainings are held in (no DST in either). */
export const TRAINING_TIME_ZONES = { BO: 'America/La_Paz', PA: 'America/Panama' } as const

/** The time zone of a country's trainings (Bolivia's when the country is unknown). */
export function timeZoneOf(country: string | null | undefined): string {
  return TRAINING_TIME_ZONES[country as keyof typeof TRAINING_TIME_ZONES] ?? 'America/La_Paz'
}

/** "lunes, 9 de marzo" / "Monday 9 March", in the country's time. */
export function formatDate(at: Date, country: string, locale: string | null): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : `es-${country}`, {
    timeZone: timeZoneOf(country),
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(at)
}

/** "10:00", 24-hour clock, in the country's time. */
export function formatTime(at: Date, country: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timeZoneOf(country),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at)
}
