import { describe, expect, it } from 'vitest'
import {
  createI18n,
  readLocaleResources,
  translatorFor,
  type LocaleResources,
} from '../../app/i18n.ts'
import { applyOverrides } from './overrides.ts'
import { beneficiaryKeys, placeholdersOf, samePlaceholders } from './translation-keys.ts'

const base: LocaleResources = {
  es: {
    flows: { menu: { main: 'Menú', hi: 'Hola {{name}}' } },
    admin: { nav: { cases: 'Casos' } },
    broadcasts: { stop_line: 'BAJA', admin: { title: 'Avisos' } },
    whatsapp: { state: { up: 'Conectado' } },
  },
  en: { flows: { menu: { main: 'Menu', hi: 'Hi {{name}}' } }, admin: { nav: { cases: 'Cases' } } },
}

describe('beneficiary keys', () => {
  it('leaves out the panel, WhatsApp pairing and any admin branch', () => {
    expect(beneficiaryKeys(base)).toEqual(['broadcasts.stop_line', 'flows.menu.hi', 'flows.menu.main']) // prettier-ignore
  })

  it('covers the shipped files: the menu yes, the panel no', () => {
    const keys = beneficiaryKeys(readLocaleResources())
    expect(keys).toContain('flows.menu.main')
    expect(keys).toContain('broadcasts.stop_line')
    expect(keys.some((k) => k.startsWith('admin'))).toBe(false)
    expect(keys.some((k) => k.startsWith('whatsapp.'))).toBe(false)
    expect(keys.some((k) => k.split('.').includes('admin'))).toBe(false)
  })
})

describe('placeholders', () => {
  it('must be the same names as in Spanish, in any order', () => {
    expect(placeholdersOf('{{a}} y {{ b }} y {{a}}')).toEqual(['a', 'b'])
    expect(samePlaceholders('Hola {{name}}, caso {{case}}', '{{case}}: Napaykullayki {{name}}')).toBe(true) // prettier-ignore
    expect(samePlaceholders('Hola {{name}}', 'Napaykullayki')).toBe(false)
    expect(samePlaceholders('Hola {{name}}', 'Napaykullayki {{nombre}}')).toBe(false)
    expect(samePlaceholders('Hola', 'Napaykullayki {{name}}')).toBe(false)
  })
})

describe('applyOverrides', () => {
  it('lays overrides over the files, per key, with Spanish for the rest', async () => {
    const i18n = await createI18n(base)
    applyOverrides(
      i18n,
      [
        { locale: 'qu', key: 'flows.menu.main', value: 'Akllana' },
        { locale: 'en', key: 'flows.menu.hi', value: 'Hello {{name}}' },
        { locale: 'es', key: 'flows.menu.main', value: 'ignored: Spanish is the reference' },
        { locale: 'qu', key: 'admin.nav.cases', value: 'ignored: a staff text' },
        { locale: 'qu', key: 'flows.gone', value: 'ignored: no such key' },
      ],
      base,
    )
    const qu = translatorFor(i18n, 'qu')
    expect(qu('flows.menu.main')).toBe('Akllana')
    expect(qu('flows.menu.hi', { name: 'Rosa' })).toBe('Hola Rosa')
    expect(qu('admin.nav.cases')).toBe('Casos')
    expect(qu('flows.gone')).toBe('flows.gone')
    expect(translatorFor(i18n, 'en')('flows.menu.hi', { name: 'Rosa' })).toBe('Hello Rosa')
    expect(translatorFor(i18n, 'en')('flows.menu.main')).toBe('Menu')
    expect(translatorFor(i18n, 'en')('admin.nav.cases')).toBe('Cases')
    expect(translatorFor(i18n, 'es')('flows.menu.main')).toBe('Menú')
  })

  it('gives a language its files back when its overrides are gone', async () => {
    const i18n = await createI18n(base)
    applyOverrides(i18n, [{ locale: 'en', key: 'flows.menu.main', value: 'Options' }], base)
    applyOverrides(i18n, [{ locale: 'qu', key: 'flows.menu.main', value: 'Akllana' }], base)
    expect(translatorFor(i18n, 'en')('flows.menu.main')).toBe('Menu')
    applyOverrides(i18n, [], base)
    expect(translatorFor(i18n, 'qu')('flows.menu.main')).toBe('Menú')
  })
})
