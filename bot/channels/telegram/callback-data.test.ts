import { describe, expect, it } from 'vitest'
import { buttonData, CALLBACK_DATA_LIMIT, parseButtonData } from './callback-data.ts'

describe('button callback data', () => {
  it('is prompt|id when it fits, and reads back', () => {
    const { tag, data } = buttonData('onboarding/consent', ['accept', 'decline'])
    expect(tag).toBe('onboarding/consent')
    expect(data).toEqual(['onboarding/consent|accept', 'onboarding/consent|decline'])
    expect(parseButtonData(data[1])).toEqual({ tag, option: { id: 'decline' } })
  })

  it('hashes a prompt too long for 64 bytes, the same way every time', () => {
    const prompt = `trainings/${'ñ'.repeat(40)}`
    const a = buttonData(prompt, ['yes'])
    expect(a.tag).toMatch(/^#[\w-]{12}$/)
    expect(buttonData(prompt, ['no']).tag).toBe(a.tag)
    expect(Buffer.byteLength(a.data[0]!)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT)
    expect(parseButtonData(a.data[0])).toEqual({ tag: a.tag, option: { id: 'yes' } })
  })

  it('sends an id that cannot fit, or looks like an index, as its index', () => {
    const long = 'x'.repeat(70)
    const { tag, data } = buttonData('p/q', ['ok', long, '#3'])
    expect(data[0]).toBe(`${tag}|ok`)
    expect(parseButtonData(data[1])).toEqual({ tag, option: { index: 1 } })
    expect(parseButtonData(data[2])).toEqual({ tag, option: { index: 2 } })
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT)
  })

  it('refuses data it did not write', () => {
    for (const d of [undefined, '', 'nobar', 'p|', 'p|#x', 'p|#-1']) {
      expect(parseButtonData(d)).toBeUndefined()
    }
  })
})
