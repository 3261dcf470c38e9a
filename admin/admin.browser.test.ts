import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../app/config.ts'
import { createLogger } from '../app/logger.ts'
import { startMinka, type Minka } from '../app/start-minka.ts'
import { freshSqlite, type TestDatabase } from '../test/support/test-db.ts'
import { createCase, createStaff, PASSWORD } from './admin-test-kit.ts'

// The panel in a real browser (issue 8). .ci/run installs Debian's chromium when missing.
const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`admin browser tests skipped: ${CHROMIUM} is missing`)
const ARTIFACTS = path.resolve('test-artifacts')
const XSS = '<img src=x onerror=alert(1)>'

describe.skipIf(!hasChromium)('admin panel in chromium', () => {
  let minka: Minka
  let database: TestDatabase
  let browser: Browser
  let profile: string
  let viewerCase: number
  const dialogs: string[] = []

  beforeAll(async () => {
    database = await freshSqlite()
    await database.db.$disconnect()
    profile = mkdtempSync(path.join(os.tmpdir(), 'minka-chromium-'))
    const parsed = parseConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_EMAIL: 'admin@test.local',
      ADMIN_PASSWORD: PASSWORD,
      ATTACHMENTS_DIR: path.join(profile, 'attachments'),
      OUTBOX_POLL_MS: '50',
    })
    if (!parsed.ok) throw new Error(parsed.message)
    minka = await startMinka(parsed.config, createLogger('silent'))
    await createStaff(minka.database.db, 'viewer@test.local', 'viewer', ['BO-LP'])
    viewerCase = await createCase(minka.database.db, { regionId: 'BO-LP', name: 'Rosa' })
    mkdirSync(ARTIFACTS, { recursive: true })
    // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await minka?.stop()
    await database?.cleanup()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  async function signIn(page: Page, email: string) {
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.goto(`${minka.url}/admin/login`)
    await page.fill('input[name=email]', email)
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/admin\/cases/)
  }

  const botReplies = async (userId: string) => {
    const res = await fetch(`${minka.url}/api/simulator/messages?userId=${userId}`)
    const body = (await res.json()) as { messages: { from: string }[] }
    return body.messages.filter((m) => m.from === 'bot').length
  }

  /** Writes as her through the web channel API and waits for the bot's answer. */
  async function say(userId: string, text: string) {
    const before = await botReplies(userId)
    const res = await fetch(`${minka.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text }),
    })
    expect(res.status).toBe(202)
    await expect.poll(() => botReplies(userId), { timeout: 10_000 }).toBeGreaterThan(before)
  }

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
