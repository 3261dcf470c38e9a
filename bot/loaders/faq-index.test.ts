import { describe, expect, it } from 'vitest'
import { FaqIndex, StampedCache } from './faq-index.ts'

describe('StampedCache (the FAQ index across processes)', () => {
  it('reads the stamp at most once per TTL and rebuilds only when it changed', async () => {
    const cache = new StampedCache<string>(5_000)
    let stamp = '40:1'
    let stampReads = 0
    let builds = 0
    const get = (now: number) =>
      cache.get(
        'BO:es',
        now,
        async () => (stampReads++, stamp),
        async () => `index ${++builds} for ${stamp}`,
      )
    expect(await get(0)).toBe('index 1 for 40:1')
    expect(await get(1_000)).toBe('index 1 for 40:1')
    expect(stampReads).toBe(1)
    stamp = '41:2' // another process added an entry
    expect(await get(4_999)).toBe('index 1 for 40:1') // still trusted
    expect(await get(5_000)).toBe('index 2 for 41:2')
    expect(await get(10_000)).toBe('index 2 for 41:2') // same stamp: no rebuild
    expect([stampReads, builds]).toEqual([3, 2])
    cache.clear() // an edit in this process
    stamp = '41:3'
    expect(await get(10_001)).toBe('index 3 for 41:3')
  })
})

describe('FaqIndex', () => {
  it('answers only with a clear winner', () => {
    const index = new FaqIndex([
      { id: 'A', question: '¿Dónde venden lana de alpaca?', keywords: 'lana, alpaca', answer: 'En la feria.' }, // prettier-ignore
      { id: 'B', question: '¿Cuánto cuesta formar una cooperativa?', keywords: 'costo', answer: 'Depende.' }, // prettier-ignore
    ])
    expect(index.best('lana de alpaca donde')?.id).toBe('A')
    expect(index.best('mi vecina cocina empanadas')).toBeNull()
  })
})
