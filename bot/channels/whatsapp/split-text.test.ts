import { describe, expect, it } from 'vitest'
import { splitText } from './split-text.ts'

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('Hola, ¿cómo está?')).toEqual(['Hola, ¿cómo está?'])
    expect(splitText('')).toEqual([''])
  })

  it('cuts a long text at 4,000 characters on a sentence boundary', () => {
    const sentence = 'La cooperativa necesita estatutos aprobados por la asamblea. '
    const text = sentence.repeat(150) // about 9,000 characters
    const parts = splitText(text)
    expect(parts.length).toBe(3)
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4_000)
      expect(p.endsWith('asamblea.')).toBe(true)
    }
    expect(parts.join(' ')).toBe(text.trim())
  })

  it('prefers a paragraph break over a sentence inside it', () => {
    const text = `${'a'.repeat(30)}. ${'b'.repeat(20)}\n\n${'c'.repeat(30)}`
    expect(splitText(text, 60)).toEqual([`${'a'.repeat(30)}. ${'b'.repeat(20)}`, 'c'.repeat(30)])
  })

  it('falls back to spaces, then to a hard cut for one endless word', () => {
    expect(splitText('uno dos tres cuatro cinco', 10)).toEqual([
      'uno dos',
      'tres',
      'cuatro',
      'cinco',
    ])
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)])
  })
})
