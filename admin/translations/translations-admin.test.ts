import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translatorFor } from '../../app/i18n.ts'
import { LANGUAGES_SETTING } from '../../bot/i18n-overrides/languages.ts'
import { contentTestApp } from '../content/content-test-kit.ts'

let kit: Awaited<ReturnType<typeof contentTestApp>>

beforeAll(async () => {
  kit = await contentTestApp()
}, 60_000)
afterAll(() => kit?.close())

const MENU_QU = 'Imaynatam yanapayta atiyman? Yupayta kutichiway.'

describe('translations page', () => {
  it('lists beneficiary keys with Spanish and the chosen language, paginated and searchable', async () => {
    const first = await kit.get('viewer', '/admin/translations?lang=en')
    expect(first.status).toBe(200)
    expect((first.text.match(/<tr data-key=/g) ?? []).length).toBe(50)
    expect(first.text).toContain('rel="next"')
    expect(first.text).toContain('data-test="read-only"')
    expect(first.text).not.toContain('data-test="save-translation"')
    const menu = await kit.get('viewer', '/admin/translations?lang=en&q=flows.menu.main')
    expect(menu.text).toContain('data-key="flows.menu.main"')
    expect(menu.text).toContain('¿En qué le puedo ayudar?')
    expect(menu.text).toContain('How can I help you?')
    const staffOnly = await kit.get('viewer', '/admin/translations?lang=en&q=admin')
    expect(staffOnly.text).not.toMatch(/data-key="(admin|whatsapp)[.-]/)
    expect(staffOnly.text).not.toMatch(/data-key="[^"]*\.admin\./)
  })

  it('viewers cannot edit (403), agents can; the bot reads the change at once (audited)', async () => {
    const body = { lang: 'en', key: 'flows.menu.main', value: 'What can I do for you?' }
    expect((await kit.post('viewer', '/admin/translations', body)).status).toBe(403)
    const res = await kit.post('agent', '/admin/translations', body)
    expect(res.status).toBe(303)
    expect(translatorFor(kit.i18n, 'en')('flows.menu.main')).toBe('What can I do for you?')
    await kit.onboard('tr-en', 'BO', '2')
    expect((await kit.bot.say('tr-en', 'MENU')).join('\n')).toContain('What can I do for you?')
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'translation.update' } })
    expect(log.entityId).toBe('en:flows.menu.main')
    expect(JSON.parse(log.before!)).toEqual({ value: null })
    expect(JSON.parse(log.after!)).toEqual({ value: 'What can I do for you?' })
    const page = await kit.get('agent', '/admin/translations?lang=en&q=flows.menu.main')
    expect(page.text).toMatch(/data-key="flows.menu.main" class="tr-override"/)
  })

  it('an empty text removes the override: the file text again', async () => {
    const res = await kit.post('agent', '/admin/translations', { lang: 'en', key: 'flows.menu.main', value: '' }) // prettier-ignore
    expect(res.status).toBe(303)
    expect(await kit.db.translationOverride.count()).toBe(0)
    expect(translatorFor(kit.i18n, 'en')('flows.menu.main')).toBe(
      'How can I help you? Reply with the number of the option.',
    )
  })

  it('rejects a text without the Spanish placeholders (400 naming the key)', async () => {
    const key = 'flows.language.other'
    const res = await kit.post('agent', '/admin/translations', {
      lang: 'en',
      key,
      value: 'the name',
    })
    expect(res.status).toBe(400)
    expect(res.text).toMatch(/data-test="error"[^>]*>[^<]*flows\.language\.other[^<]*\{\{name\}\}/)
    expect(await kit.db.translationOverride.count()).toBe(0)
    const unknown = await kit.post('agent', '/admin/translations', { lang: 'en', key: 'admin.nav.cases', value: 'x' }) // prettier-ignore
    expect(unknown.status).toBe(404)
    const notEnabled = await kit.post('agent', '/admin/translations', { lang: 'qu', key: 'flows.menu.main', value: 'x' }) // prettier-ignore
    expect(notEnabled.status).toBe(400)
    const spanish = await kit.post('agent', '/admin/translations', { lang: 'es', key: 'flows.menu.main', value: 'x' }) // prettier-ignore
    expect(spanish.status).toBe(400)
  })
})

describe('languages', () => {
  it('only admins enable a language; the setting is validated JSON and audited', async () => {
    const body = { code: 'QU', name: 'Runa simi' }
    expect((await kit.post('agent', '/admin/translations/languages', body)).status).toBe(403)
    expect((await kit.post('viewer', '/admin/translations/languages', body)).status).toBe(403)
    expect((await kit.post('admin', '/admin/translations/languages', { code: 'q1', name: 'x' })).status).toBe(400) // prettier-ignore
    expect((await kit.post('admin', '/admin/translations/languages', { code: 'en', name: 'x' })).status).toBe(400) // prettier-ignore
    expect((await kit.post('admin', '/admin/translations/languages', { code: 'ay', name: 'english' })).status).toBe(400) // prettier-ignore
    const res = await kit.post('admin', '/admin/translations/languages', body)
    expect(res.status).toBe(303)
    const setting = await kit.db.setting.findUniqueOrThrow({ where: { key: LANGUAGES_SETTING } })
    expect(JSON.parse(setting.value)).toEqual(['es', 'en', { code: 'qu', name: 'Runa simi' }])
    const log = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'languages.enable' } })
    expect(JSON.parse(log.before!)).toBe('["es","en"]')
    const page = await kit.get('agent', '/admin/translations?lang=qu&q=flows.menu.main')
    expect(page.text).toContain('<option value="qu" selected>Runa simi (qu)</option>')
    expect(page.text).toMatch(/data-key="flows.menu.main" class="tr-missing"/)
  })

  it('the bot offers the language; her texts are Quechua where translated, else Spanish', async () => {
    await kit.post('agent', '/admin/translations', { lang: 'qu', key: 'flows.menu.main', value: MENU_QU }) // prettier-ignore
    await kit.bot.say('tr-qu', 'hola')
    const question = (await kit.bot.say('tr-qu', '1')).join('\n')
    expect(question).toContain('3. Runa simi')
    await kit.bot.say('tr-qu', '3')
    await kit.bot.say('tr-qu', '1')
    const menu = (await kit.bot.say('tr-qu', 'MENU')).join('\n')
    expect(menu).toContain(MENU_QU)
    expect(menu).toContain('2. Cómo formar nuestra cooperativa')
  })

  it('a disabled language is no longer offered', async () => {
    expect((await kit.post('agent', '/admin/translations/languages/qu/disable', {})).status).toBe(403) // prettier-ignore
    expect((await kit.post('admin', '/admin/translations/languages/qu/disable', {})).status).toBe(303) // prettier-ignore
    await kit.bot.say('tr-qu2', 'hola')
    expect((await kit.bot.say('tr-qu2', '1')).join('\n')).not.toContain('Runa simi')
  })
})
