import { z } from 'zod'

export const MediaKindSchema = z.enum(['audio', 'image', 'document', 'sticker', 'other'])

/** One message from her, as the runtime hands it to the engine. */
export const EngineInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('choice'), optionId: z.string(), text: z.string().optional() }),
  z.object({
    kind: z.literal('media'),
    mediaKind: MediaKindSchema,
    ref: z.string(),
    text: z.string().optional(),
  }),
])
export type EngineInput = z.infer<typeof EngineInputSchema>
