import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Minka } from '../app/start-minka.ts'
import { createCase, createStaff } from './admin-test-kit.ts'
import {
  ARTIFACTS,
  hasChromium,
  signIn as signInAt,
  simulatorUser,
  startMinkaWithBrowser,
  warnIfNoChromium,
  type BrowserMinka,
} from './browser-test-kit.ts'

// The panel in a real browser (issue 8). .ci/run installs Debian's chromium when missing.
warnIfNoChromium('admin browser tests')
const XSS = '<img src=x onerror=alert(1)>'

describe.skipIf(!hasChromium)('admin panel in chromium', () => {
  let run: BrowserMinka
  let minka: Minka
  let browser: Browser
  let viewerCase: number
  const dialogs: string[] = []

  beforeAll(async () => {
    run = await startMinkaWithBrowser()
    ;({ minka, browser } = run)
    await createStaff(minka.database.db, 'viewer@test.local', 'viewer', ['BO-LP'])
    viewerCase = await createCase(minka.database.db, { regionId: 'BO-LP', name: 'Rosa' })
  }, 120_000)

  afterAll(async () => {
    await run?.stop()
  })

  async function signIn(page: Page, email: string) {
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await signInAt(page, minka.url, email)
  }

  const say = (userId: string, text: string) => simulatorUser(minka.url, userId).say(text)

  it('a case from a simulated beneficiary arrives, is answered, sent and resolved', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'admin@test.local')
    await page.goto(`${minka.url}/admin/cases?status=all`)
    const rowsBefore = await page.locator('tr.case-row').count()

    const user = `browser-${Date.now()}`
    await say(user, 'hola')
    await say(user, '1') // consent: nothing she writes is kept before it
    await say(user, 'HUMANO')
    await say(user, XSS)
    // No reload: the page's poller (every 10 s) brings the new case in.
    await expect
      .poll(() => page.locator('tr.case-row').count(), { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(rowsBefore)
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-inbox.png'), fullPage: true })

    const c = await minka.database.db.case.findFirstOrThrow({
      where: { contact: { channelUserId: user } },
    })
    await page.click(`tr[data-case-id="${c.id}"] a`)
    await page.waitForURL(new RegExp(`/admin/cases/${c.id}$`))
    // Her message shows as text, and nothing ran.
    await expect.poll(() => page.locator('.msg-her .msg-text', { hasText: XSS }).count()).toBe(1)
    expect(await page.locator('img[src="x"]').count()).toBe(0)

    await page.fill('#reply-text', 'Hola, soy del ministerio. ¿En qué la ayudamos?')
    await page.click('[data-test=send-reply]')
    await page.waitForURL(new RegExp(`/admin/cases/${c.id}`))
    const delivery = page.locator('.msg-staff [data-test=delivery]').last()
    expect(await delivery.textContent()).toMatch(/En cola|Enviando|Enviado/)
    const outbound = await minka.database.db.outboundMessage.findFirstOrThrow({
      where: { origin: 'case', originId: String(c.id) },
    })
    expect(outbound.priority).toBe(5)
    // The web channel's dispatcher marks it sent; the page shows it after a reload.
    await expect
      .poll(
        async () => {
          await page.reload()
          return page.locator('.msg-staff [data-test=delivery]').last().textContent()
        },
        { timeout: 15_000 },
      )
      .toBe('Enviado')
    const conversation = await fetch(`${minka.url}/api/simulator/messages?userId=${user}`)
    expect(JSON.stringify(await conversation.json())).toContain('soy del ministerio')
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-case.png'), fullPage: true })

    await page.selectOption('[data-test=status-select]', 'resolved')
    await page.click('[data-test=status-save]')
    await expect.poll(() => page.locator('[data-test=case-status]').textContent()).toBe('Resueltos')
    expect(dialogs).toEqual([])

    await page.click('[data-test=logout]')
    await page.waitForURL(/\/admin\/login/)
    await page.goto(`${minka.url}/admin/cases`)
    expect(page.url()).toContain('/admin/login')
    await context.close()
  }, 90_000)

  it('a viewer reads a case of her region but cannot reply', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'viewer@test.local')
    await page.goto(`${minka.url}/admin/cases/${viewerCase}`)
    expect(await page.locator('[data-test=read-only]').count()).toBe(1)
    expect(await page.locator('#reply-text').count()).toBe(0)
    expect(await page.locator('[data-test=send-reply]').count()).toBe(0)
    expect(dialogs).toEqual([])
    await context.close()
  }, 60_000)
})
