import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { caseScope } from '../auth/access.ts'
import { programmeOf, type GroupRecord } from './group-queries.ts'

const LISTED = 100

/** A member as staff see her: the phone only for admins (personal data, issue 9). */
export type MemberView = {
  name: string | null
  role: string
  channel: string
  phone?: string | null
  /** She gets the group's notices: consented, not opted out, reachable. */
  reachable: boolean
}

/**
 * Everything on a group's page: members, the programme's phases with the date each was reached,
 * the country's checklist with this group's status and evidence, its cases (those this staff
 * member may open), its training registrations and its referrals.
 */
export async function groupPage(db: Db, staff: CurrentStaff, g: GroupRecord) {
  const [programme, history, members, requirements, cases, registrations, referrals, partners] =
    await Promise.all([
      programmeOf(db, g),
      db.groupPhase.findMany({ where: { groupId: g.id } }),
      db.groupMember.findMany({
        where: { groupId: g.id },
        orderBy: { joinedAt: 'asc' },
        take: LISTED,
        include: { contact: true },
      }),
      db.requirement.findMany({
        where: { country: g.country },
        orderBy: { order: 'asc' },
        include: {
          groups: {
            where: { groupId: g.id },
            include: {
              reviewedBy: { select: { name: true } },
              evidence: {
                orderBy: { createdAt: 'desc' },
                select: { id: true, kind: true, mime: true, size: true, createdAt: true },
              },
            },
          },
        },
      }),
      db.case.findMany({
        where: { AND: [{ groupId: g.id }, caseScope(staff)] },
        orderBy: { lastActivityAt: 'desc' },
        take: LISTED,
        select: {
          id: true,
          topic: true,
          status: true,
          lastActivityAt: true,
          contact: { select: { displayName: true, erasedAt: true } },
        },
      }),
      db.trainingRegistration.findMany({
        where: { groupId: g.id },
        orderBy: { training: { startsAt: 'desc' } },
        take: LISTED,
        include: {
          training: { select: { title: true, startsAt: true, status: true } },
          contact: { select: { displayName: true } },
        },
      }),
      db.referral.findMany({
        where: { groupId: g.id },
        orderBy: { createdAt: 'desc' },
        include: { partner: true },
      }),
      db.partner.findMany({
        where: { active: true, country: { in: [g.country, 'ambos'] } },
        orderBy: { name: 'asc' },
      }),
    ])
  const staffIds = [...new Set(history.flatMap((h) => (h.staffId ? [h.staffId] : [])))]
  const movedBy = new Map(
    (
      await db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } })
    ).map((s) => [s.id, s.name]),
  )
  const reached = new Map(history.map((h) => [h.phaseId, h]))
  const phases = (programme?.phases ?? []).map((p) => {
    const h = reached.get(p.id)
    return {
      ...p,
      current: p.id === g.currentPhaseId,
      reachedAt: h?.reachedAt ?? null,
      note: h?.note ?? null,
      by: h?.staffId ? (movedBy.get(h.staffId) ?? null) : null,
    }
  })
  const currentOrder = g.currentPhase?.order ?? 0
  const next = programme?.phases.find((p) => p.order > currentOrder) ?? null
  return {
    programme,
    phases,
    next,
    members: members.map((m): MemberView => ({
      name: m.contact.displayName,
      role: m.role,
      channel: m.contact.channel,
      ...(staff.role === 'admin' ? { phone: m.contact.phone } : {}),
      reachable:
        Boolean(m.contact.consentAt) &&
        !m.contact.optedOutAt &&
        !m.contact.erasedAt &&
        !m.contact.unreachableAt,
    })),
    requirements: requirements.map((r) => {
      const row = r.groups[0]
      return {
        id: r.id,
        kind: r.kind,
        titleEs: r.titleEs,
        titleEn: r.titleEn,
        confidence: r.status,
        status: row?.status ?? 'pending',
        submittedAt: row?.submittedAt ?? null,
        reviewedAt: row?.reviewedAt ?? null,
        reviewedBy: row?.reviewedBy?.name ?? null,
        rejectReason: row?.rejectReason ?? null,
        evidence: row?.evidence ?? [],
      }
    }),
    cases,
    registrations,
    referrals,
    partners,
  }
}
