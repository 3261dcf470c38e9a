import { describe, expect, it } from 'vitest'
import { ContactQueue } from './contact-queue.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('ContactQueue', () => {
  it('runs one key in order even when earlier tasks are slower', async () => {
    const q = new ContactQueue()
    const seen: number[] = []
    await Promise.all(
      [30, 1, 10].map((ms, i) =>
        q.run('a', async () => {
          await sleep(ms)
          seen.push(i)
        }),
      ),
    )
    expect(seen).toEqual([0, 1, 2])
  })

  it('runs different keys concurrently', async () => {
    const q = new ContactQueue()
    const seen: string[] = []
    const slow = q.run('a', async () => {
      await sleep(40)
      seen.push('a')
    })
    const fast = q.run('b', async () => {
      seen.push('b')
    })
    await Promise.all([slow, fast])
    expect(seen).toEqual(['b', 'a'])
  })

  it('keeps going after a task fails and forgets idle keys', async () => {
    const q = new ContactQueue()
    await expect(q.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(q.run('a', async () => 7)).resolves.toBe(7)
    await q.drain()
    expect(q.size).toBe(0)
  })
})
