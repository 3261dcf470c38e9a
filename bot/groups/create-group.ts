import { randomUUID } from 'node:crypto'
import type { Tx } from '../pipeline/apply-effects.ts'

/** A group's own fields, already checked and normalised by whoever registers it. */
export type NewGroup = {
  name: string
  country: string
  regionId: string | null
  municipality: string | null
  rubroId: string | null
  memberCount: number | null
}

/**
 * Creates a group at its programme's first phase (with the phase history row) and the
 * country's checklist, all pending: the same whether she registers it in the chat or staff
 * create it in the panel. Without a first phase the group starts outside any programme.
 * `drawInviteCode` proposes a code for each attempt; the first that no group has is kept.
 */
export async function createGroupWithChecklist(
  tx: Tx,
  group: NewGroup,
  opts: {
    firstPhase: { id: string; programmeId: string } | null | undefined
    drawInviteCode: (attempt: number) => string
    now: Date
    /** Who moved it into the first phase, when staff did. */
    staffId?: string
  },
): Promise<{ id: string; inviteCode: string }> {
  const { firstPhase, now } = opts
  const inviteCode = await unusedInviteCode(tx, opts.drawInviteCode)
  const id = randomUUID()
  await tx.group.create({
    data: {
      id,
      ...group,
      programmeId: firstPhase?.programmeId ?? null,
      currentPhaseId: firstPhase?.id ?? null,
      inviteCode,
      createdAt: now,
    },
  })
  if (firstPhase) {
    await tx.groupPhase.create({
      data: {
        id: randomUUID(),
        groupId: id,
        phaseId: firstPhase.id,
        reachedAt: now,
        staffId: opts.staffId,
      },
    })
  }
  const checklist = await tx.requirement.findMany({
    where: { country: group.country },
    select: { id: true },
  })
  await tx.groupRequirement.createMany({
    data: checklist.map((r) => ({
      id: randomUUID(),
      groupId: id,
      requirementId: r.id,
      status: 'pending',
    })),
  })
  return { id, inviteCode }
}

/** A code no group has: women join with "UNIRME <code>", so two groups cannot share one. */
async function unusedInviteCode(
  tx: Pick<Tx, 'group'>,
  draw: (attempt: number) => string,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const code = draw(attempt)
    if (!(await tx.group.findUnique({ where: { inviteCode: code } }))) return code
  }
}
