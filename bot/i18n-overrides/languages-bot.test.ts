import type { i18n } from 'i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../app/config.ts'
import { createI18n, translatorFor } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { openBot } from '../../app/start-minka.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { freshSqlite } from '../../test/support/test-db.ts'
import { LANGUAGES_SETTING, parseEnabledLanguages, serializeEnabledLanguages } from './languages.ts'
import { TranslationOverrideSync } from './overrides.ts'

const MENU_QU = 'Imaynatam yanapayta atiyman? Yupayta kutichiway.'

describe('enabled languages in the bot', () => {
  let bot: TestBot
  let sync: TranslationOverrideSync
  let i18n: i18n

  beforeAll(async () => {
    i18n = await createI18n()
    bot = await startTestBot({ runtime: { i18n } })
    sync = new TranslationOverrideSync(bot.database.db, i18n)
    await bot.database.db.setting.update({
      where: { key: LANGUAGES_SETTING },
      data: { value: serializeEnabledLanguages([{ code: 'qu', name: 'Runa simi' }]) },
    })
  }, 60_000)
  afterAll(() => bot?.close())

  it('offers es, en and every enabled language by its name; her choice is her locale', async () => {
    await bot.say('qu-1', 'hola')
    const question = await bot.say('qu-1', '1')
    expect(question.join('\n')).toContain('1. Español\n2. English\n3. Runa simi')
    const after = await bot.say('qu-1', 'runa simi')
    const contact = await bot.database.db.contact.findFirstOrThrow({
      where: { channelUserId: 'qu-1' },
    })
    expect(contact.locale).toBe('qu')
    // nothing is translated yet: Spanish
    expect(after.join('\n')).toContain('¿En qué país está su grupo?')
  })

  it('speaks her language where staff translated a key, Spanish elsewhere', async () => {
    await bot.database.db.translationOverride.create({
      data: { locale: 'qu', key: 'flows.menu.main', value: MENU_QU },
    })
    expect(await sync.refreshIfStale()).toBe(true)
    await bot.say('qu-1', '1') // Bolivia
    const menu = (await bot.say('qu-1', 'MENU')).join('\n')
    expect(menu).toContain(MENU_QU)
    expect(menu).toContain('1. ¿Qué es una cooperativa?') // untranslated: Spanish
    // Spanish and English speakers are untouched
    await bot.say('es-1', 'hola')
    await bot.say('es-1', '1')
    await bot.say('es-1', '1')
    await bot.say('es-1', '1')
    expect((await bot.say('es-1', 'MENU')).join('\n')).toContain('¿En qué le puedo ayudar?')
  })

  it('changes language from "my data", with the same options', async () => {
    await bot.say('qu-1', 'MENU')
    const mydata = await bot.say('qu-1', '9')
    expect(mydata.join('\n')).toContain('1. Cambiar el idioma')
    const question = (await bot.say('qu-1', '1')).join('\n')
    expect(question).toContain('3. Runa simi')
    await bot.say('qu-1', '2')
    const contact = await bot.database.db.contact.findFirstOrThrow({
      where: { channelUserId: 'qu-1' },
    })
    expect(contact.locale).toBe('en')
  })

  it('a deleted override falls back again, and an unchanged table is not reloaded', async () => {
    expect(await sync.refreshIfStale()).toBe(false)
    await bot.database.db.translationOverride.delete({
      where: { locale_key: { locale: 'qu', key: 'flows.menu.main' } },
    })
    expect(await sync.refreshIfStale()).toBe(true)
    expect(translatorFor(i18n, 'qu')('flows.menu.main')).toContain('¿En qué le puedo ayudar?')
  })
})

describe('enabled languages setting', () => {
  it('always offers the built-in languages first, each language once', () => {
    expect(parseEnabledLanguages('["es","en"]')).toEqual([
      { code: 'es', name: '' },
      { code: 'en', name: '' },
    ])
    expect(
      parseEnabledLanguages('["en",{"code":"ay","name":"Aymar aru"},{"code":"ay","name":"x"}]'),
    ).toEqual([
      { code: 'es', name: '' },
      { code: 'en', name: '' },
      { code: 'ay', name: 'Aymar aru' },
    ])
    expect(parseEnabledLanguages('not json')).toHaveLength(2)
    expect(parseEnabledLanguages('[{"code":"<b>","name":"x"}]')).toHaveLength(2)
  })
})

describe('translation overrides at start', () => {
  it('openBot loads them into the shared i18next instance', async () => {
    const database = await freshSqlite()
    await database.db.translationOverride.create({
      data: { locale: 'en', key: 'flows.menu.main', value: 'How can I help? (edited)' },
    })
    await database.db.$disconnect()
    const parsed = parseConfig({ DATABASE_URL: database.url, ADMIN_PASSWORD: 'a-long-password' })
    if (!parsed.ok) throw new Error(parsed.message)
    const bot = await openBot(parsed.config, createLogger('silent'))
    try {
      expect(translatorFor(bot.i18n, 'en')('flows.menu.main')).toBe('How can I help? (edited)')
      expect(translatorFor(bot.i18n, 'en')('flows.menu.faq')).toBe('Frequently asked questions')
    } finally {
      await bot.close()
      await database.cleanup()
    }
  }, 60_000)
})

describe('on PostgreSQL', () => {
  it('offers enabled languages and reloads overrides another process saved', async () => {
    const i18n = await createI18n()
    const bot = await startTestBot({ provider: 'postgresql', runtime: { i18n } })
    try {
      const db = bot.database.db
      await db.setting.update({
        where: { key: LANGUAGES_SETTING },
        data: { value: serializeEnabledLanguages([{ code: 'ay', name: 'Aymar aru' }]) },
      })
      const sync = new TranslationOverrideSync(db, i18n)
      await sync.load()
      await db.translationOverride.create({
        data: { locale: 'ay', key: 'flows.menu.main', value: 'Kunsa yanaptʼiristama?' },
      })
      expect(await sync.refreshIfStale()).toBe(true)
      await bot.say('ay-1', 'hola')
      expect((await bot.say('ay-1', '1')).join('\n')).toContain('3. Aymar aru')
      await bot.say('ay-1', '3')
      await bot.say('ay-1', '2') // Panamá
      expect((await bot.say('ay-1', 'MENU')).join('\n')).toContain('Kunsa yanaptʼiristama?')
    } finally {
      await bot.close()
    }
  }, 60_000)
})
