import { utcToZoned } from '../../bot/broadcasts/schedule.ts'
import { timeZoneOf } from '../../bot/trainings/training-time.ts'

/** "2026-12-01 09:30" in the training's country time: what staff typed, and what Excel sorts. */
export function localDateTime(at: Date, country: string): string {
  const { date, time } = utcToZoned(at, timeZoneOf(country))
  return `${date} ${time}`
}
