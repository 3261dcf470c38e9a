/** Telegram refuses a message longer than this many characters (UTF-16 code units). */
export const TELEGRAM_TEXT_LIMIT = 4096

/**
 * Splits a text into pieces Telegram accepts, each ending at the last sentence end (or line
 * break) that fits, else at a space, else at the limit itself. Whitespace at a cut is dropped;
 * nothing else is changed or lost.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > limit) {
    const cut = cutPoint(rest.slice(0, limit + 1), limit)
    const piece = rest.slice(0, cut).trimEnd()
    if (piece) pieces.push(piece)
    rest = rest.slice(cut).trimStart()
  }
  if (rest || pieces.length === 0) pieces.push(rest)
  return pieces
}

/**
 * Where to cut `window` (the first limit + 1 characters, so a boundary right at the limit is
 * seen). Returns the index just after the boundary, at most `limit`.
 */
function cutPoint(window: string, limit: number): number {
  let sentence = -1
  // A sentence ends at . ! ? … (maybe followed by a closing quote or bracket) before a space.
  for (const m of window.matchAll(/[.!?…]["'”’»)\]]*(?=\s)|\n/g)) {
    const end = m.index + m[0].length
    if (end <= limit) sentence = end
  }
  if (sentence > 0) return sentence
  const space = window.lastIndexOf(' ', limit)
  if (space > 0) return space
  // No boundary at all: cut at the limit, but never between the two halves of an emoji.
  const code = window.charCodeAt(limit - 1)
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit
}
