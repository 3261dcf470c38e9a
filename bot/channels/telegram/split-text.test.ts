import { describe, expect, it } from 'vitest'
import { splitText, TELEGRAM_TEXT_LIMIT } from './split-text.ts'

const words = (s: string) => s.split(/\s+/).filter(Boolean)

describe('splitText', () => {
  it('leaves a text within the limit alone', () => {
    expect(splitText('Hola. ¿Cómo está?')).toEqual(['Hola. ¿Cómo está?'])
    expect(splitText('')).toEqual([''])
    expect(splitText('x'.repeat(TELEGRAM_TEXT_LIMIT))).toHaveLength(1)
  })

  it('cuts after the last sentence that fits', () => {
    const text = 'Primera frase. Segunda frase! Tercera frase? Cuarta.'
    expect(splitText(text, 30)).toEqual(['Primera frase. Segunda frase!', 'Tercera frase? Cuarta.'])
  })

  it('prefers a line break or sentence end over a space, and a space over a hard cut', () => {
    expect(splitText('uno dos\ntres cuatro cinco', 16)).toEqual(['uno dos', 'tres cuatro', 'cinco'])
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij'])
  })

  it('never splits an emoji in two', () => {
    const pieces = splitText('aaa🙂bbb', 4)
    expect(pieces).toEqual(['aaa', '🙂bb', 'b'])
  })

  it('keeps every word of a long text, each piece within the limit', () => {
    const sentence = 'La cooperativa necesita estatutos aprobados por la asamblea. '
    const text = sentence.repeat(200) + 'Fin'
    const pieces = splitText(text)
    expect(pieces.length).toBeGreaterThan(2)
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT)
      expect(p.endsWith('.') || p === pieces.at(-1)).toBe(true)
    }
    expect(words(pieces.join(' '))).toEqual(words(text))
  })
})
