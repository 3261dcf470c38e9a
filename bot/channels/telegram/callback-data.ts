import { createHash } from 'node:crypto'

/** Telegram's limit on an inline button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64

export type ButtonPress = { tag: string; option: { id: string } | { index: number } }

/**
 * The callback data of each option's button: `<prompt>|<option id>`. The prompt (the question's
 * `flow/step`) lets a press on an old message be told from an answer to the current question.
 * When that does not fit in 64 bytes the prompt becomes `#` + a short hash of it, and an id that
 * still does not fit travels as `#<index>` of the option in the message.
 */
export function buttonData(prompt: string, optionIds: string[]): { tag: string; data: string[] } {
  const fits = (tag: string, id: string) =>
    !id.startsWith('#') && Buffer.byteLength(`${tag}|${id}`) <= CALLBACK_DATA_LIMIT
  const tag =
    !prompt.includes('|') && !prompt.startsWith('#') && optionIds.every((id) => fits(prompt, id))
      ? prompt
      : `#${createHash('sha256').update(prompt).digest('base64url').slice(0, 12)}`
  return {
    tag,
    data: optionIds.map((id, i) => (fits(tag, id) ? `${tag}|${id}` : `${tag}|#${i}`)),
  }
}

/** Reads back what `buttonData` wrote; anything else (an old format, a forgery) is undefined. */
export function parseButtonData(data: string | undefined): ButtonPress | undefined {
  if (!data) return undefined
  const bar = data.indexOf('|')
  if (bar < 0) return undefined
  const tag = data.slice(0, bar)
  const rest = data.slice(bar + 1)
  if (!rest) return undefined
  if (!rest.startsWith('#')) return { tag, option: { id: rest } }
  const index = Number(rest.slice(1))
  return Number.isInteger(index) && index >= 0 ? { tag, option: { index } } : undefined
}
