import { z } from 'zod'
import { utcToZoned, zonedToUtc } from '../../bot/broadcasts/schedule.ts'
import { timeZoneOf } from '../../bot/trainings/training-time.ts'

export const modalitySchema = z.enum(['presencial', 'virtual'])

const text = (max: number) =>
  z
    .string()
    .max(max * 4) // a pasted novel is a bad request; the real limit is checked below, per field
    .optional()
    .transform((v) => v?.trim() ?? '')

/** The training form as posted: every field a string, kept as typed to show it again. */
export const trainingFormSchema = z.object({
  title: text(200),
  description: text(2000),
  topic: text(100),
  modality: text(20),
  place: text(300),
  link: text(500),
  startDate: text(10),
  startTime: text(5),
  endDate: text(10),
  endTime: text(5),
  capacity: text(6),
  regionId: text(40),
  rubroId: text(40),
  trainer: text(200),
})
export type TrainingForm = z.infer<typeof trainingFormSchema>

/** The fields an error can name: the form's inputs, with start and end as date + time pairs. */
export type TrainingField =
  | 'title'
  | 'description'
  | 'topic'
  | 'modality'
  | 'place'
  | 'link'
  | 'start'
  | 'end'
  | 'capacity'
  | 'regionId'
  | 'rubroId'
  | 'trainer'

export type FieldErrors = Partial<Record<TrainingField, string>>

/** A valid training, ready to be written. */
export type TrainingInput = {
  title: string
  description: string | null
  topic: string | null
  modality: z.infer<typeof modalitySchema>
  place: string | null
  link: string | null
  startsAt: Date
  endsAt: Date
  capacity: number
  regionId: string
  country: string
  rubroId: string | null
  trainer: string | null
}

const E = 'admin-trainings.errors.'
const MAX_CAPACITY = 10_000

function httpsUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' && url.hostname.includes('.')
  } catch {
    return false
  }
}

/** A local date and time in a zone, or undefined when either is not a real one. */
function instant(date: string, time: string, timeZone: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  // 2026-02-30 would silently become 2 March: refuse what the calendar does not have
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi))
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    return undefined
  }
  if (h > 23 || mi > 59 || y < 2000 || y > 2100) return undefined
  return zonedToUtc(date, time, timeZone)
}

/**
 * Checks a posted training against the regions this staff member may use and the active
 * rubros. Start and end are read in the region's country's time zone (America/La_Paz for
 * Bolivia, America/Panama for Panama). Errors are message keys by field, for the form.
 */
export function validateTraining(
  form: TrainingForm,
  options: {
    regions: { id: string; country: string }[]
    rubroIds: string[]
    /** Registrations already made: capacity cannot drop below them. */
    registered?: number
  },
): { ok: true; value: TrainingInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const tooLong = (field: TrainingField, value: string, max: number) => {
    if (value.length > max) errors[field] = `${E}too_long`
  }
  if (!form.title) errors.title = `${E}required`
  tooLong('title', form.title, 200)
  tooLong('description', form.description, 2000)
  tooLong('topic', form.topic, 100)
  tooLong('trainer', form.trainer, 200)

  const modality = modalitySchema.safeParse(form.modality)
  if (!modality.success) errors.modality = `${E}modality`
  if (modality.data === 'presencial') {
    if (!form.place) errors.place = `${E}place_required`
    tooLong('place', form.place, 300)
  }
  if (modality.data === 'virtual') {
    if (!form.link) errors.link = `${E}link_required`
    else if (form.link.length > 500 || !httpsUrl(form.link)) errors.link = `${E}link_https`
  }

  const region = options.regions.find((r) => r.id === form.regionId)
  if (!region) errors.regionId = `${E}region`
  const rubroId = form.rubroId || null
  if (rubroId && !options.rubroIds.includes(rubroId)) errors.rubroId = `${E}rubro`

  const capacity = Number(form.capacity)
  if (!/^\d+$/.test(form.capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    errors.capacity = `${E}capacity`
  } else if (options.registered !== undefined && capacity < options.registered) {
    errors.capacity = `${E}capacity_below_registered`
  }

  // without a valid region the time zone is unknown: the dates are still checked for shape
  const zone = timeZoneOf(region?.country)
  const startsAt = instant(form.startDate, form.startTime, zone)
  const endsAt = instant(form.endDate, form.endTime, zone)
  if (!startsAt) errors.start = `${E}date`
  if (!endsAt) errors.end = `${E}date`
  else if (startsAt && endsAt.getTime() <= startsAt.getTime()) errors.end = `${E}end_before_start`

  if (Object.keys(errors).length > 0 || !region || !startsAt || !endsAt || !modality.success) {
    return { ok: false, errors }
  }
  const orNull = (v: string) => v || null
  return {
    ok: true,
    value: {
      title: form.title,
      description: orNull(form.description),
      topic: orNull(form.topic),
      modality: modality.data,
      // only the one the modality uses is kept: a virtual training has no place
      place: modality.data === 'presencial' ? form.place : null,
      link: modality.data === 'virtual' ? form.link : null,
      startsAt,
      endsAt,
      capacity,
      regionId: region.id,
      country: region.country,
      rubroId,
      trainer: orNull(form.trainer),
    },
  }
}

/** A stored training as the form shows it, dates in its country's time zone. */
export function formOf(t: {
  title: string
  description: string | null
  topic: string | null
  modality: string
  place: string | null
  link: string | null
  startsAt: Date
  endsAt: Date
  capacity: number
  regionId: string | null
  rubroId: string | null
  trainer: string | null
  country: string
}): TrainingForm {
  const zone = timeZoneOf(t.country)
  const start = utcToZoned(t.startsAt, zone)
  const end = utcToZoned(t.endsAt, zone)
  return {
    title: t.title,
    description: t.description ?? '',
    topic: t.topic ?? '',
    modality: t.modality,
    place: t.place ?? '',
    link: t.link ?? '',
    startDate: start.date,
    startTime: start.time,
    endDate: end.date,
    endTime: end.time,
    capacity: String(t.capacity),
    regionId: t.regionId ?? '',
    rubroId: t.rubroId ?? '',
    trainer: t.trainer ?? '',
  }
}
