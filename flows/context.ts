import { z } from 'zod'

export const ContactFactsSchema = z.object({
  locale: z.string().nullable(),
  country: z.enum(['BO', 'PA']).nullable(),
  consent: z.enum(['none', 'given', 'declined']),
  optedOut: z.boolean(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
})
export type ContactFacts = z.infer<typeof ContactFactsSchema>

export type Translate = (key: string, vars?: Record<string, unknown>) => string

/** Everything the pure engine may know about the world; the runtime builds one per message. */
export type EngineContext = {
  now: Date
  newId: () => string
  /** Translator fixed to her language: used to match her words against option labels. */
  t: Translate
  contact: ContactFacts
  /** Loader results by loader name, filled by the runtime after a `needData` answer. */
  data: Record<string, unknown>
  config: {
    sessionIdleMs: number
    /**
     * Hook for the FAQ issue: when true, free text outside any flow (or that the main menu
     * did not understand) first asks for the `faqSearch` loader (args `{ text }`); a result
     * `{ key, vars? }` is sent as the answer; `{ unanswered: true, key?, vars? }` records the
     * question for staff (recordUnanswered) and shows the menu; `null` falls back to the menu.
     */
    faqSearch?: boolean
  }
}
