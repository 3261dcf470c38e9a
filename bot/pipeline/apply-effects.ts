import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'
import type { Effect } from '../../flows/engine.ts'
import { newInviteCode } from '../../flows/invite-code.ts'
import { createGroupWithChecklist } from '../groups/create-group.ts'
import type { OutboxPayload } from '../messages.ts'
import { contactEffectStatements, isContactEffect } from './contact-effects.ts'
import { cancelQueuedReminders, scheduledRow } from '../trainings/training-reminders.ts'

/** A Prisma interactive-transaction client: same model API as Db. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>

export type EffectContext = {
  tx: Tx
  contactId: string
  channel: string
  channelUserId: string
  now: Date
  inboundId: string
  /** Renders a scheduled output now, in her language: the outbox stores rendered text. */
  renderScheduled: (output: Extract<Effect, { kind: 'schedule' }>['output']) => OutboxPayload
}

export type EffectOutcome = {
  /** Values named by an effect's `as`, for `{ $effect }` placeholders in the replies. */
  results: Record<string, unknown>
  /** Her data was erased: nothing more may be written about her in this transaction. */
  erased: boolean
}

const DEFAULT_SLA_HOURS = 16

async function slaHours(tx: Tx, topic: string): Promise<number> {
  const row = await tx.setting.findUnique({ where: { key: `sla.hours.${topic}` } })
  const hours = Number(row?.value)
  return Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_SLA_HOURS
}

/** Files she sent become attachments of the case they were sent for. */
function linkAttachment(tx: Tx, contactId: string, storageKey: string, caseId: number) {
  return tx.attachment.updateMany({ where: { contactId, storageKey }, data: { caseId } })
}

async function openCaseOf(tx: Tx, contactId: string) {
  return tx.case.findFirst({
    where: { contactId, status: { in: ['open', 'pending'] } },
    orderBy: { lastActivityAt: 'desc' },
  })
}

/**
 * Applies the engine's effects inside the caller's transaction, in order. Effects that refer
 * to something gone (a training that was cancelled, no open case) do nothing rather than fail:
 * the conversation must go on.
 */
export async function applyEffects(effects: Effect[], ctx: EffectContext): Promise<EffectOutcome> {
  const { tx, contactId, now } = ctx
  const results: Record<string, unknown> = {}
  let erased = false
  for (const effect of effects) {
    if (isContactEffect(effect)) {
      for (const statement of contactEffectStatements(tx, effect, contactId, now)) await statement
      continue
    }
    switch (effect.kind) {
      case 'createCase': {
        const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId } })
        const membership = await tx.groupMember.findFirst({ where: { contactId } })
        const existing = effect.topic === 'human' ? await openCaseOf(tx, contactId) : null
        const hours = await slaHours(tx, effect.topic)
        const c =
          existing ??
          (await tx.case.create({
            data: {
              contactId,
              groupId: membership?.groupId ?? null,
              topic: effect.topic,
              subtopic: effect.subtopic ?? null,
              status: 'open',
              regionId: contact.regionId,
              country: contact.country,
              channel: contact.channel,
              firstResponseDueAt: new Date(now.getTime() + hours * 3_600_000),
              lastInboundAt: now,
              lastActivityAt: now,
            },
          }))
        if (existing) {
          await tx.case.update({
            where: { id: existing.id },
            data: { status: 'open', lastInboundAt: now, lastActivityAt: now },
          })
        }
        if (effect.text || effect.mediaRef) {
          await tx.caseMessage.create({
            data: {
              id: randomUUID(),
              caseId: c.id,
              kind: 'inbound',
              text: effect.text ?? null,
              mediaRef: effect.mediaRef ?? null,
              createdAt: now,
            },
          })
        }
        if (effect.mediaRef) await linkAttachment(tx, contactId, effect.mediaRef, c.id)
        if (effect.as) results[effect.as] = caseNumber(c.id)
        break
      }
      case 'appendToCase': {
        const chosen = effect.caseId
          ? await tx.case.findFirst({ where: { id: Number(effect.caseId), contactId } })
          : null
        const open = chosen ?? (await openCaseOf(tx, contactId))
        if (!open) break
        await tx.caseMessage.create({
          data: {
            id: randomUUID(),
            caseId: open.id,
            kind: 'inbound',
            text: effect.text ?? null,
            mediaRef: effect.mediaRef ?? null,
            createdAt: now,
          },
        })
        await tx.case.update({
          where: { id: open.id },
          // her answer reopens a case waiting for her and moves it up the inbox
          data: { status: 'open', lastInboundAt: now, lastActivityAt: now },
        })
        if (effect.mediaRef) await linkAttachment(tx, contactId, effect.mediaRef, open.id)
        break
      }
      case 'registerTraining': {
        const membership = await tx.groupMember.findFirst({ where: { contactId } })
        await tx.trainingRegistration.upsert({
          where: { trainingId_contactId: { trainingId: effect.trainingId, contactId } },
          create: {
            id: randomUUID(),
            trainingId: effect.trainingId,
            contactId,
            groupId: membership?.groupId ?? null,
            status: 'registered',
          },
          update: { status: 'registered', cancelledAt: null },
        })
        break
      }
      case 'cancelRegistration':
        await tx.trainingRegistration.updateMany({
          where: { trainingId: effect.trainingId, contactId },
          data: { status: 'cancelled', cancelledAt: now },
        })
        await cancelQueuedReminders(tx, effect.trainingId, 'registration cancelled', [contactId])
        break
      case 'setRequirement': {
        const membership = await tx.groupMember.findFirst({ where: { contactId } })
        if (!membership) break
        const status = effect.status === 'done' ? 'submitted' : 'pending'
        const row = await tx.groupRequirement.upsert({
          where: {
            groupId_requirementId: {
              groupId: membership.groupId,
              requirementId: effect.requirementId,
            },
          },
          create: {
            id: randomUUID(),
            groupId: membership.groupId,
            requirementId: effect.requirementId,
            status,
            submittedAt: effect.status === 'done' ? now : null,
          },
          update: { status, submittedAt: effect.status === 'done' ? now : null },
        })
        if (effect.evidenceRef) {
          await tx.attachment.updateMany({
            where: { storageKey: effect.evidenceRef, contactId },
            data: { groupRequirementId: row.id },
          })
        }
        break
      }
      case 'schedule':
        await tx.outboundMessage.create({
          data: scheduledRow({
            to: { id: contactId, channel: ctx.channel, channelUserId: ctx.channelUserId },
            at: new Date(effect.at),
            payload: ctx.renderScheduled(effect.output),
            originId: effect.originId ?? null,
            now,
          }),
        })
        break
      case 'createGroup': {
        const code = await createGroup(tx, effect, contactId, now)
        if (effect.as && code) results[effect.as] = code
        break
      }
      case 'joinGroup': {
        const group = await tx.group.findUnique({ where: { id: effect.groupId } })
        if (!group) break
        await tx.groupMember.upsert({
          where: { groupId_contactId: { groupId: group.id, contactId } },
          create: {
            id: randomUUID(),
            groupId: group.id,
            contactId,
            role: effect.role ?? 'miembro',
            joinedAt: now,
          },
          update: {},
        })
        break
      }
      case 'setGroupField':
        await setGroupField(tx, effect, contactId)
        break
      case 'setMemberRole': {
        const membership = await tx.groupMember.findFirst({ where: { contactId } })
        if (membership) {
          await tx.groupMember.update({
            where: { id: membership.id },
            data: { role: effect.role },
          })
        }
        break
      }
      case 'rateTraining':
        await tx.trainingRegistration.updateMany({
          where: { trainingId: effect.trainingId, contactId },
          data: { satisfaction: Number(effect.score) },
        })
        break
      case 'erase':
        await eraseContact(tx, contactId, now, ctx.inboundId)
        erased = true
        break
    }
  }
  return { results, erased }
}

/** How a case is named to her and to staff: "C-12". */
export function caseNumber(id: number): string {
  return `C-${id}`
}

/** The programme a new group of each country joins (its phases start at order 1). */
const PROGRAMME_BY_COUNTRY: Record<string, string> = { BO: 'BO-ATC', PA: 'PA-ECV' }

/**
 * Registers her group: the group at its programme's first phase (with the phase history row),
 * her membership, and the country's checklist, all pending. Returns the invite code, or null
 * when she has no country yet. A contact already in a group gets that group's code instead.
 */
async function createGroup(
  tx: Tx,
  effect: Extract<Effect, { kind: 'createGroup' }>,
  contactId: string,
  now: Date,
): Promise<string | null> {
  const existing = await tx.groupMember.findFirst({
    where: { contactId },
    include: { group: true },
  })
  if (existing) return existing.group.inviteCode
  const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId } })
  const country = contact.country
  if (country !== 'BO' && country !== 'PA') return null
  const region = effect.regionId
    ? await tx.region.findFirst({ where: { id: effect.regionId, country } })
    : null
  const rubro = effect.rubroId ? await tx.rubro.findUnique({ where: { id: effect.rubroId } }) : null
  const programmeId = PROGRAMME_BY_COUNTRY[country]!
  const firstPhase = await tx.phase.findFirst({ where: { programmeId }, orderBy: { order: 'asc' } })
  const group = await createGroupWithChecklist(
    tx,
    {
      name: effect.name.trim(),
      country,
      regionId: region?.id ?? null,
      municipality: effect.municipality?.trim() || null,
      rubroId: rubro?.id ?? null,
      memberCount: effect.memberCount ? Number(effect.memberCount) : null,
    },
    { firstPhase, drawInviteCode: hashedInviteCode(contactId, now), now },
  )
  await tx.groupMember.create({
    data: { id: randomUUID(), groupId: group.id, contactId, role: effect.role, joinedAt: now },
  })
  return group.inviteCode
}

/**
 * Invite codes drawn from a hash of her (random) contact id and the time rather than from
 * Math.random: unguessable from outside, and the same in a replayed test conversation.
 */
function hashedInviteCode(contactId: string, now: Date): (attempt: number) => string {
  return (attempt) => {
    const bytes = createHash('sha256').update(`${contactId}:${now.getTime()}:${attempt}`).digest()
    let i = 0
    return newInviteCode((n) => bytes[i++ % bytes.length]! % n)
  }
}

/** One field of her group; a value that does not fit (an unknown region) changes nothing. */
async function setGroupField(
  tx: Tx,
  effect: Extract<Effect, { kind: 'setGroupField' }>,
  contactId: string,
) {
  const membership = await tx.groupMember.findFirst({
    where: { contactId },
    include: { group: true },
  })
  if (!membership) return
  const value = effect.value.trim()
  let data: Record<string, string | number>
  switch (effect.field) {
    case 'name':
    case 'municipality':
      data = { [effect.field]: value }
      break
    case 'memberCount': {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 1 || n > 500) return
      data = { memberCount: n }
      break
    }
    case 'regionId': {
      const region = await tx.region.findFirst({
        where: { id: value, country: membership.group.country },
      })
      if (!region) return
      data = { regionId: region.id }
      break
    }
    case 'rubroId': {
      const rubro = await tx.rubro.findUnique({ where: { id: value } })
      if (!rubro) return
      data = { rubroId: rubro.id }
      break
    }
  }
  await tx.group.update({ where: { id: membership.groupId }, data })
}

/**
 * BORRAR MIS DATOS: deletes her messages, session, memberships, registrations and files, and
 * anonymises her cases (kept, without her words, so the programme's counts stay true). The
 * contact row stays as an empty tombstone with a new channel id, so if she writes again she
 * starts afresh and is asked for consent again.
 */
export async function eraseContact(
  tx: Tx,
  contactId: string,
  now: Date,
  keepInboundId?: string,
): Promise<void> {
  // The message that asked for erasure keeps its (text-less) row: it is the dedup key that
  // stops a redelivery of that same message from starting a new conversation.
  await tx.inboundMessage.deleteMany({ where: { contactId, id: { not: keepInboundId } } })
  await tx.outboundMessage.deleteMany({ where: { contactId } })
  await tx.session.deleteMany({ where: { contactId } })
  await tx.groupMember.deleteMany({ where: { contactId } })
  await tx.trainingRegistration.updateMany({
    where: { contactId },
    data: { status: 'cancelled', cancelledAt: now },
  })
  await tx.attachment.deleteMany({ where: { contactId } })
  await tx.unansweredQuestion.updateMany({ where: { contactId }, data: { contactId: null } })
  const cases = await tx.case.findMany({ where: { contactId }, select: { id: true } })
  const caseIds = cases.map((c) => c.id)
  await tx.caseMessage.updateMany({
    where: { caseId: { in: caseIds }, kind: 'inbound' },
    data: { text: null, mediaRef: null },
  })
  await tx.case.updateMany({ where: { contactId }, data: { contactId: null } })
  await tx.contact.update({
    where: { id: contactId },
    data: {
      channelUserId: `erased:${contactId}`,
      phone: null,
      displayName: null,
      regionId: null,
      erasedAt: now,
      consentAt: null,
    },
  })
}
