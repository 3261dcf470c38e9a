import { z } from 'zod'

/** A text per language: Spanish required (the fallback), others optional. */
const perLanguage = (max: number) =>
  z.object({ es: z.string().trim().min(1).max(max) }).catchall(z.string().trim().max(max))

/**
 * A broadcast's optional follow-up question ("¿Le interesa? 1 = Me interesa, 2 = No puedo"):
 * the question and its options, each per language. An answer is stored as the option's number
 * ("1", "2"…), whatever language she answered in. Stored as JSON in Broadcast.followUp.
 */
export const followUpSchema = z.object({
  question: perLanguage(500),
  options: z.array(perLanguage(80)).min(1).max(9),
})
export type FollowUp = z.infer<typeof followUpSchema>

/** Reads a stored follow-up (Broadcast.followUp); null when the broadcast asks none. */
export function parseFollowUp(json: string | null | undefined): FollowUp | null {
  return json ? followUpSchema.parse(JSON.parse(json)) : null
}

/** The option's text in her language, else Spanish. */
export function optionLabel(option: FollowUp['options'][number], lng: string): string {
  return option[lng]?.trim() || option.es
}

/** The question as she reads it, under the announcement: one "1 = …" line per option. */
export function renderFollowUp(followUp: FollowUp, lng: string): string {
  const question = followUp.question[lng]?.trim() || followUp.question.es
  const lines = followUp.options.map((o, i) => `${i + 1} = ${optionLabel(o, lng)}`)
  return [question, ...lines].join('\n')
}

/** Lower case, no accents, no surrounding punctuation or spaces: "  1. " → "1", "Sí!" → "si". */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[\s"'(¡¿[*_-]+|[\s"').,;:!?\]*_-]+$/gu, '')
    .replace(/\s+/g, ' ')
}

/**
 * Which option a message names, if any: its number ("1", "1.", "(1)") or an option's text in
 * any language ("me interesa"). Anything else — a question, a longer sentence, BAJA — is not
 * an answer and goes on to the normal conversation.
 */
export function matchOption(followUp: FollowUp, text: string): string | null {
  const said = normalise(text)
  if (!said || said.length > 80) return null
  for (const [i, option] of followUp.options.entries()) {
    const number = String(i + 1)
    if (said === number) return number
    if (Object.values(option).some((label) => label && normalise(label) === said)) return number
  }
  return null
}
