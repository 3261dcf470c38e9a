import { randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'

let codes = 0

/** A group at its programme's first phase (with the phase row) and its country's checklist. */
export async function createGroupRow(
  db: Db,
  opts: {
    name: string
    regionId: string | null
    country?: 'BO' | 'PA'
    municipality?: string
    rubroId?: string
    status?: string
    createdAt?: Date
  },
): Promise<string> {
  const country = opts.country ?? (opts.regionId?.slice(0, 2) as 'BO' | 'PA')
  const programmeId = country === 'BO' ? 'BO-ATC' : 'PA-ECV'
  const id = randomUUID()
  const createdAt = opts.createdAt ?? new Date()
  await db.group.create({
    data: {
      id,
      name: opts.name,
      country,
      regionId: opts.regionId,
      municipality: opts.municipality ?? null,
      rubroId: opts.rubroId ?? null,
      programmeId,
      currentPhaseId: `${programmeId}-1`,
      status: opts.status ?? 'active',
      inviteCode: `T${String(++codes).padStart(5, '0')}`,
      createdAt,
    },
  })
  await db.groupPhase.create({
    data: { id: randomUUID(), groupId: id, phaseId: `${programmeId}-1`, reachedAt: createdAt },
  })
  const checklist = await db.requirement.findMany({ where: { country }, select: { id: true } })
  await db.groupRequirement.createMany({
    data: checklist.map((r) => ({
      id: randomUUID(),
      groupId: id,
      requirementId: r.id,
      status: 'pending',
    })),
  })
  return id
}

/** A contact who consented (unless told otherwise), as a member of the group. */
export async function addMember(
  db: Db,
  groupId: string,
  opts: {
    name: string
    locale?: string | null
    role?: string
    phone?: string
    channelUserId?: string
    consent?: boolean
    optedOut?: boolean
  },
): Promise<string> {
  const group = await db.group.findUniqueOrThrow({ where: { id: groupId } })
  const id = randomUUID()
  const now = new Date()
  await db.contact.create({
    data: {
      id,
      channel: 'web',
      channelUserId: opts.channelUserId ?? `m-${id.slice(0, 8)}`,
      displayName: opts.name,
      phone: opts.phone ?? null,
      locale: opts.locale ?? null,
      country: group.country,
      regionId: group.regionId,
      consentAt: opts.consent === false ? null : now,
      optedOutAt: opts.optedOut ? now : null,
      firstInboundAt: now,
      lastInboundAt: now,
    },
  })
  await db.groupMember.create({
    data: { id: randomUUID(), groupId, contactId: id, role: opts.role ?? 'miembro' },
  })
  return id
}
