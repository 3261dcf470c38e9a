import { z } from 'zod'
import { OutputSchema } from './outputs.ts'

export const MemberRoleSchema = z.enum(['presidenta', 'secretaria', 'tesorera', 'miembro'])
export type MemberRole = z.infer<typeof MemberRoleSchema>

/** Fields of her group she may change from the chat. */
export const GroupFieldSchema = z.enum([
  'name',
  'regionId',
  'municipality',
  'rubroId',
  'memberCount',
])

export const CaseTopicSchema = z.enum(['legal', 'technical', 'training', 'human', 'other'])
export type CaseTopic = z.infer<typeof CaseTopicSchema>

/**
 * What a conversation wants done. Data only: the runtime applies every effect of one step in
 * the same transaction that stores the new session and the outputs.
 */
export const EffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('createCase'),
    topic: CaseTopicSchema,
    subtopic: z.string().optional(),
    text: z.string().optional(),
    mediaRef: z.string().optional(),
    /** Name under which the runtime exposes the result (the case number) to `$effect` vars. */
    as: z.string().optional(),
  }),
  z.object({
    kind: z.literal('appendToCase'),
    text: z.string().optional(),
    mediaRef: z.string().optional(),
    /** One of her cases by number (from "mis consultas"); default her open case. */
    caseId: z.string().regex(/^\d+$/).optional(),
  }),
  z.object({ kind: z.literal('registerTraining'), trainingId: z.string().min(1) }),
  z.object({ kind: z.literal('cancelRegistration'), trainingId: z.string().min(1) }),
  z.object({
    kind: z.literal('setRequirement'),
    requirementId: z.string().min(1),
    status: z.enum(['done', 'pending']),
    evidenceRef: z.string().optional(),
  }),
  z.object({
    kind: z.literal('setContactField'),
    field: z.enum(['locale', 'country', 'region']),
    value: z.string().min(1),
  }),
  z.object({ kind: z.literal('giveConsent') }),
  z.object({ kind: z.literal('declineConsent') }),
  z.object({ kind: z.literal('optOut') }),
  z.object({ kind: z.literal('optIn') }),
  z.object({ kind: z.literal('erase') }),
  z.object({ kind: z.literal('recordUnanswered'), text: z.string() }),
  z.object({
    kind: z.literal('schedule'),
    at: z.iso.datetime({ offset: true }),
    output: OutputSchema,
    /** What the message is about (a training id): cancelling that cancels the message. */
    originId: z.string().min(1).optional(),
  }),
  /** Registers her group (she is its first member) and returns its invite code. */
  z.object({
    kind: z.literal('createGroup'),
    name: z.string().min(1).max(120),
    regionId: z.string().min(1).optional(),
    municipality: z.string().max(120).optional(),
    rubroId: z.string().min(1).optional(),
    memberCount: z
      .string()
      .regex(/^\d{1,4}$/)
      .optional(),
    role: MemberRoleSchema,
    as: z.string().optional(),
  }),
  /** Makes her a member of a group (by id, found from an invite code). */
  z.object({
    kind: z.literal('joinGroup'),
    groupId: z.string().min(1),
    role: MemberRoleSchema.optional(),
  }),
  z.object({
    kind: z.literal('setGroupField'),
    field: GroupFieldSchema,
    value: z.string().min(1).max(120),
  }),
  z.object({ kind: z.literal('setMemberRole'), role: MemberRoleSchema }),
  /** Her answer to the satisfaction question about a training she attended (1–5). */
  z.object({
    kind: z.literal('rateTraining'),
    trainingId: z.string().min(1),
    score: z.string().regex(/^[1-5]$/),
  }),
])
export type Effect = z.infer<typeof EffectSchema>
export type EffectKind = Effect['kind']
export const EFFECT_KINDS = EffectSchema.options.map((o) => o.shape.kind.value)
