import { z } from 'zod'

/**
 * Values for i18n interpolation. A value may be `{ $effect: 'name' }`: the runtime replaces it
 * with the result of the effect that had `as: 'name'` in the same step (a case number, say).
 */
export const VarsSchema = z.record(z.string(), z.unknown())
export type Vars = z.infer<typeof VarsSchema>

export const OptionOutputSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  vars: VarsSchema.optional(),
})
export type OptionOutput = z.infer<typeof OptionOutputSchema>

/** What the engine asks the runtime to send. Never raw text: always an i18n key. */
export const OutputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), key: z.string().min(1), vars: VarsSchema.optional() }),
  z.object({
    kind: z.literal('choice'),
    key: z.string().min(1),
    vars: VarsSchema.optional(),
    options: z.array(OptionOutputSchema).min(1),
  }),
  z.object({ kind: z.literal('media'), ref: z.string().min(1), captionKey: z.string().optional() }),
])
export type Output = z.infer<typeof OutputSchema>
