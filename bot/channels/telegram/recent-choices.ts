export type RecentChoice = {
  /** The prompt tag its buttons carry (see callback-data.ts). */
  tag: string
  messageId: number
  optionIds: string[]
  /** A button of it was pressed: a second press is late, and its keyboard is already gone. */
  answered: boolean
}

/**
 * The last question with buttons sent to each chat, to recognise a press on an older question.
 * In memory and bounded: after a restart nothing is known and presses are taken as current,
 * which is safe because the engine checks option ids against the question it is on.
 */
export class RecentChoices {
  private readonly byChat = new Map<string, RecentChoice>()

  constructor(private readonly capacity = 50_000) {}

  get(chatId: string): RecentChoice | undefined {
    return this.byChat.get(chatId)
  }

  /** Records the new question and returns the one it replaces. */
  remember(chatId: string, choice: RecentChoice): RecentChoice | undefined {
    const previous = this.byChat.get(chatId)
    this.byChat.delete(chatId) // re-inserted last: Map order is then least recently used first
    this.byChat.set(chatId, choice)
    if (this.byChat.size > this.capacity) {
      this.byChat.delete(this.byChat.keys().next().value!)
    }
    return previous
  }
}
