/** WhatsApp shows long messages badly on basic phones ("Read more", cut previews). */
export const WHATSAPP_TEXT_LIMIT = 4_000

/**
 * Splits `text` into parts of at most `limit` characters, preferring to cut after a paragraph,
 * then after a line, then after a sentence, then at a space, and only as a last resort inside a
 * word. Parts are trimmed; joining them with spaces or newlines loses no words.
 */
export function splitText(text: string, limit = WHATSAPP_TEXT_LIMIT): string[] {
  const parts: string[] = []
  let rest = text.trim()
  while (rest.length > limit) {
    const cut = bestCut(rest, limit)
    parts.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).trimStart()
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest)
  return parts
}

/** The end of the first part: the last good boundary within the limit, not too early. */
function bestCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1)
  const minimum = Math.floor(limit / 2) // a cut earlier than this makes too many tiny parts
  for (const boundary of [/\n\s*\n/g, /\n/g, /[.!?…](?=\s)/g, /\s/g]) {
    let last = -1
    for (const m of window.matchAll(boundary)) {
      const end = m.index + m[0].length
      if (end <= limit) last = end
    }
    if (last >= minimum) return last
  }
  return limit
}
