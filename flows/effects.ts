import { z } from 'zod'
import { OutputSchema } from './outputs.ts'

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
  }),
])
export type Effect = z.infer<typeof EffectSchema>
export type EffectKind = Effect['kind']
export const EFFECT_KINDS = EffectSchema.options.map((o) => o.shape.kind.value)
