import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Minka } from '../../app/start-minka.ts'
import {
  ARTIFACTS,
  hasChromium,
  signIn,
  startMinkaWithBrowser,
  warnIfNoChromium,
  type BrowserMinka,
} from '../browser-test-kit.ts'

// Issue 9: staff enable Quechua, translate one key, and the simulator shows it to a woman who
// chose Quechua (real chromium; .ci/run installs Debian's chromium when missing).
warnIfNoChromium('translations browser test')
const MENU_QU = 'Imaynatam yanapayta atiyman? Yupayta kutichiway.'

describe.skipIf(!hasChromium)('translations in chromium', () => {
  let run: BrowserMinka
  let minka: Minka
  let browser: Browser

  beforeAll(async () => {
    run = await startMinkaWithBrowser()
    ;({ minka, browser } = run)
  }, 120_000)

  afterAll(async () => {
    await run?.stop()
  })

  /** Writes in the simulator and waits for the bot's next message; returns the whole chat. */
  async function chat(page: Page, text: string): Promise<string> {
    const bot = page.locator('.msg-bot')
    const before = await bot.count()
    await page.fill('#sim-text', text)
    await page.press('#sim-text', 'Enter')
    await expect
      .poll(
        async () => {
          await page.dispatchEvent('#sim-user-id', 'change') // the page's own refresh
          return bot.count()
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBeGreaterThan(before)
    return (await page.locator('#sim-log').innerText()).trim()
  }

  it('staff enable Quechua, translate the menu title, and the simulator shows it', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await signIn(page, minka.url, 'admin@test.local')

    await page.click('a[href="/admin/translations"]')
    await page.waitForURL(/\/admin\/translations/)
    await page.fill('[data-test=enable-language] input[name=code]', 'qu')
    await page.fill('[data-test=enable-language] input[name=name]', 'Runa simi')
    await page.click('[data-test=enable-language] button[type=submit]')
    await page.waitForURL(/lang=qu/)
    expect(await page.locator('[data-test=languages] [data-lang=qu]').innerText()).toContain(
      'Runa simi',
    )

    await page.fill('input[name=q]', 'flows.menu.main')
    await page.click('form.filters button[type=submit]')
    const row = page.locator('tr[data-key="flows.menu.main"]')
    expect(await row.locator('.tr-source').innerText()).toMatch(/Sin traducir/)
    await row.locator('textarea').fill(MENU_QU)
    await row.locator('[data-test=save-translation]').click()
    await expect.poll(() => page.locator('[data-test=saved]').count()).toBe(1)
    expect(await page.locator('tr[data-key="flows.menu.main"] textarea').inputValue()).toBe(MENU_QU)
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-translations.png'), fullPage: true })

    await page.click('a[href="/admin/simulator"]')
    await page.waitForURL(/\/admin\/simulator/)
    await page.click('#sim-new')
    await chat(page, 'hola')
    const question = await chat(page, '1') // consent
    expect(question).toContain('3. Runa simi')
    await chat(page, '3')
    await chat(page, '1') // Bolivia
    const menu = await chat(page, 'MENU')
    expect(menu.split(MENU_QU).length - 1).toBeGreaterThanOrEqual(1)
    expect(menu).toContain('1. ¿Qué es una cooperativa?') // not translated: Spanish
    await page.screenshot({ path: path.join(ARTIFACTS, 'simulator-quechua.png'), fullPage: true })

    const contact = await minka.database.db.contact.findFirstOrThrow({
      where: { channelUserId: await page.inputValue('#sim-user-id') },
    })
    expect(contact.locale).toBe('qu')
    expect(dialogs).toEqual([])
    await context.close()
  }, 120_000)
})
