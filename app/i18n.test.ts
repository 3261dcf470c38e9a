import { describe, expect, it } from 'vitest'
import { createI18n, flattenKeys, readLocaleResources, translatorFor } from './i18n.ts'

describe('locales', () => {
  const resources = readLocaleResources()

  it('has Spanish and English', () => {
    expect(Object.keys(resources).sort()).toEqual(expect.arrayContaining(['en', 'es']))
  })

  it('has the same keys in every language (parity)', () => {
    const es = new Set(flattenKeys(resources.es!))
    for (const [lng, tree] of Object.entries(resources)) {
      const keys = new Set(flattenKeys(tree))
      expect(
        [...es].filter((k) => !keys.has(k)),
        `missing in ${lng}`,
      ).toEqual([])
      expect(
        [...keys].filter((k) => !es.has(k)),
        `only in ${lng}`,
      ).toEqual([])
    }
  })

  it('uses a language added after start key by key, Spanish for the rest', async () => {
    // what staff translations do (bot/i18n-overrides): a bundle added to the running instance
    const i18n = await createI18n({ es: { a: { b: 'hola', c: 'chau {{name}}' } } })
    i18n.addResourceBundle('qu', 'translation', { a: { b: 'napaykullayki' } })
    const qu = translatorFor(i18n, 'qu')
    expect(qu('a.b')).toBe('napaykullayki')
    expect(qu('a.c', { name: 'Rosa' })).toBe('chau Rosa')
  })

  it('falls back to Spanish for an unknown language', async () => {
    const i18n = await createI18n({ es: { a: { b: 'hola' } }, en: { a: {} } })
    expect(translatorFor(i18n, 'qu')('a.b')).toBe('hola')
    expect(translatorFor(i18n, 'en')('a.b')).toBe('hola')
  })
})
