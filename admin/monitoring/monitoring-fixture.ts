import type { Db } from '../../app/db/open.ts'

/**
 * A small, varied programme for the monitoring tests: groups in several regions, phases and
 * rubros (some with none); cases answered in time, late, unanswered past due and still in
 * time, some before the period; trainings (one cancelled, one still ahead) with registrations
 * and attendance; contacts on three channels, some opted out or erased. Deterministic: the
 * same rows every run, so a failure can be replayed. Returns the rows as inserted, for the
 * tests to count on their own.
 */
export type FixtureRows = Awaited<ReturnType<typeof seedMonitoringFixture>>

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A tiny PRNG (mulberry32): varied data, same every run. */
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const FIXTURE_REGIONS = ['BO-LP', 'BO-CB', 'PA-8'] as const
const PHASES: Record<string, (string | null)[]> = {
  BO: ['BO-ATC-1', 'BO-ATC-2', 'BO-ATC-3', 'BO-ATC-4', null],
  PA: ['PA-ECV-1', 'PA-ECV-2', 'PA-ECV-3', null],
}
const RUBROS = ['agricultura', 'artesania', 'servicios-multiples', null]
const CHANNELS = ['whatsapp', 'telegram', 'web']

export async function seedMonitoringFixture(db: Db, now: Date, opts: { seed?: number } = {}) {
  const rnd = random(opts.seed ?? 7)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const places = [...FIXTURE_REGIONS, null] as const
  const countryOf = (region: string | null) => (region ? region.slice(0, 2) : pick(['BO', 'PA']))

  const groups = Array.from({ length: 40 }, (_, i) => {
    const regionId = i === 0 ? null : pick(places)
    const country = countryOf(regionId)
    return {
      id: `mon-g-${i}`,
      name: `Grupo ${i}, «Mujeres de Añañuca»`,
      country,
      regionId,
      rubroId: pick(RUBROS),
      programmeId: country === 'BO' ? 'BO-ATC' : 'PA-ECV',
      currentPhaseId: pick(PHASES[country]!),
      status: pick(['active', 'active', 'constituted', 'inactive']),
      inviteCode: `MON${i}`,
      createdAt: new Date(now.getTime() - Math.floor(rnd() * 200 * DAY)),
    }
  })
  await db.group.createMany({ data: groups })

  const contacts = Array.from({ length: 60 }, (_, i) => {
    const regionId = pick(places)
    const lastInboundAt =
      rnd() < 0.1 ? null : new Date(now.getTime() - Math.floor(rnd() * 150 * DAY))
    const roll = rnd()
    return {
      id: `mon-c-${i}`,
      channel: pick(CHANNELS),
      channelUserId: `mon-user-${i}`,
      phone: `+591 7${String(1000000 + i)}`,
      displayName: i % 3 === 0 ? `Ñusta Quispe, "${i}"` : `María José Añez ${i}`,
      country: countryOf(regionId),
      regionId,
      consentAt: roll < 0.1 ? null : new Date(now.getTime() - 200 * DAY),
      optedOutAt: roll > 0.75 ? new Date(now.getTime() - Math.floor(rnd() * 150 * DAY)) : null,
      erasedAt: roll > 0.7 && roll <= 0.75 ? new Date(now.getTime() - 5 * DAY) : null,
      unreachableAt: roll > 0.65 && roll <= 0.7 ? new Date(now.getTime() - 3 * DAY) : null,
      lastInboundAt,
      firstInboundAt: lastInboundAt,
    }
  })
  await db.contact.createMany({ data: contacts })

  const cases = Array.from({ length: 150 }, (_, i) => {
    const regionId = pick(places)
    // most in the last 100 days; a few a moment ago (due time still ahead)
    const createdAt =
      i < 6
        ? new Date(now.getTime() - (i + 1) * HOUR)
        : new Date(now.getTime() - Math.floor(rnd() * 100 * DAY) - HOUR)
    const hasDue = rnd() > 0.1
    const firstResponseDueAt = hasDue ? new Date(createdAt.getTime() + 8 * HOUR) : null
    const answer = i < 3 ? 'none' : pick(['fast', 'fast', 'slow', 'none'])
    const firstResponseAt =
      answer === 'fast'
        ? new Date(createdAt.getTime() + Math.floor(rnd() * 7 * HOUR))
        : answer === 'slow'
          ? new Date(createdAt.getTime() + 9 * HOUR + Math.floor(rnd() * 40 * HOUR))
          : null
    return {
      id: 5000 + i,
      contactId: contacts[i % contacts.length]!.id,
      groupId: rnd() < 0.5 ? groups[i % groups.length]!.id : null,
      topic: pick(['legal', 'technical', 'training', 'human', 'other']),
      status: pick(['open', 'pending', 'resolved', 'closed']),
      regionId,
      country: countryOf(regionId),
      channel: 'web',
      firstResponseDueAt,
      firstResponseAt: firstResponseAt && firstResponseAt < now ? firstResponseAt : null,
      lastActivityAt: firstResponseAt && firstResponseAt < now ? firstResponseAt : createdAt,
      createdAt,
    }
  })
  await db.case.createMany({ data: cases })

  const trainings = Array.from({ length: 8 }, (_, i) => {
    const regionId = i === 7 ? null : FIXTURE_REGIONS[i % FIXTURE_REGIONS.length]!
    const startsAt =
      i === 6
        ? new Date(now.getTime() + HOUR) // later today: registrations, no attendance yet
        : new Date(now.getTime() - (10 + i * 17) * DAY)
    return {
      id: `mon-t-${i}`,
      title: `Taller ${i}`,
      modality: 'presencial',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * HOUR),
      capacity: 30,
      country: countryOf(regionId),
      regionId,
      status: i === 5 ? 'cancelled' : 'scheduled',
    }
  })
  await db.training.createMany({ data: trainings })

  const registrations = trainings.flatMap((t, ti) =>
    contacts
      .filter((_, ci) => (ci + ti) % 4 === 0)
      .map((c) => {
        const status = rnd() < 0.15 ? 'cancelled' : 'registered'
        const over = t.endsAt < now
        return {
          id: `mon-r-${t.id}-${c.id}`,
          trainingId: t.id,
          contactId: c.id,
          status,
          attended: over && status === 'registered' ? rnd() < 0.6 : null,
        }
      }),
  )
  await db.trainingRegistration.createMany({ data: registrations })

  return { groups, contacts, cases, trainings, registrations }
}
