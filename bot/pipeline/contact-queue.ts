/**
 * Runs tasks one at a time per key and concurrently across keys: her messages are handled
 * strictly in order, different women's at the same time. In-process only; across processes
 * (PostgreSQL) the pipeline also takes a transaction-level advisory lock on the contact.
 */
export class ContactQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const result = previous.then(task, task)
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }

  /** Waits until every queued task has finished (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()])
  }

  get size(): number {
    return this.tails.size
  }
}
