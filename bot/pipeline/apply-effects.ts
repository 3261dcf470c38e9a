import { randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'
import type { Effect } from '../../flows/engine.ts'
import type { OutboxPayload } from '../messages.ts'
import { contactEffectStatements, isContactEffect } from './contact-effects.ts'

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
        if (effect.as) results[effect.as] = c.id
        break
      }
      case 'appendToCase': {
        const open = await openCaseOf(tx, contactId)
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
        await tx.outboundMessage.updateMany({
          where: { contactId, origin: 'reminder', originId: effect.trainingId, status: 'queued' },
          data: { status: 'cancelled', lastError: 'registration cancelled' },
        })
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
          data: {
            id: randomUUID(),
            contactId,
            channel: ctx.channel,
            channelUserId: ctx.channelUserId,
            payload: JSON.stringify(ctx.renderScheduled(effect.output)),
            status: 'queued',
            priority: 10,
            nextAttemptAt: new Date(effect.at),
            origin: 'reminder',
            createdAt: now,
          },
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
