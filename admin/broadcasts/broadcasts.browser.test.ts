import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../app/config.ts'
import { createLogger } from '../../app/logger.ts'
import { startMinka, type Minka } from '../../app/start-minka.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { createStaff, PASSWORD } from '../admin-test-kit.ts'

// Issue 10 in a real browser: an agent composes, sees the count and the preview; an admin
// approves; the panel shows it going out; the results page counts the follow-up answers.
const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.warn(`broadcast browser tests skipped: ${CHROMIUM} is missing`)
const ARTIFACTS = path.resolve('test-artifacts')

describe.skipIf(!hasChromium)('broadcasts in chromium', () => {
  let minka: Minka
  let database: TestDatabase
  let browser: Browser
  let profile: string
  const women = ['bc-ana', 'bc-rosa', 'bc-julia']

  const botTexts = async (userId: string) => {
    const res = await fetch(`${minka.url}/api/simulator/messages?userId=${userId}`)
    type Entry = { from: string; payload?: { text?: string; caption?: string } }
    const body = (await res.json()) as { messages: Entry[] }
    return body.messages
      .filter((m) => m.from === 'bot')
      .map((m) => m.payload?.text ?? m.payload?.caption ?? '')
  }

  /** Writes as her through the web channel API and waits for the bot's answer. */
  async function say(userId: string, text: string) {
    const before = (await botTexts(userId)).length
    const res = await fetch(`${minka.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text }),
    })
    if (res.status !== 202) throw new Error(`simulator answered ${res.status}`)
    // a plain loop: this also runs in beforeAll, where expect.poll is not allowed
    for (const deadline = Date.now() + 10_000; (await botTexts(userId)).length <= before;) {
      if (Date.now() > deadline) throw new Error(`no reply to ${text}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  beforeAll(async () => {
    database = await freshSqlite()
    await database.db.$disconnect()
    profile = mkdtempSync(path.join(os.tmpdir(), 'minka-chromium-bc-'))
    const parsed = parseConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_EMAIL: 'admin@test.local',
      ADMIN_PASSWORD: PASSWORD,
      ATTACHMENTS_DIR: path.join(profile, 'attachments'),
      OUTBOX_POLL_MS: '50',
      // the test reads her chat through the web API often
      WEB_CHANNEL_RATE_PER_MINUTE: '100000',
    })
    if (!parsed.ok) throw new Error(parsed.message)
    minka = await startMinka(parsed.config, createLogger('silent'))
    await createStaff(minka.database.db, 'agent@test.local', 'agent', ['BO-LP'])
    // three women who wrote to Minka and consented, in La Paz
    for (const w of women) {
      await say(w, 'hola')
      await say(w, '1')
    }
    await minka.database.db.contact.updateMany({
      where: { channelUserId: { in: women } },
      data: { regionId: 'BO-LP', country: 'BO' },
    })
    mkdirSync(ARTIFACTS, { recursive: true })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await minka?.stop()
    await database?.cleanup()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  async function signIn(page: Page, email: string) {
    await page.goto(`${minka.url}/admin/login`)
    await page.fill('input[name=email]', email)
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/admin\/cases/)
  }

  it('agent composes → count → preview → admin approves → progress → results', async () => {
    const agentContext = await browser.newContext()
    const agent = await agentContext.newPage()
    await signIn(agent, 'agent@test.local')
    await agent.goto(`${minka.url}/admin/broadcasts`)
    await agent.click('[data-test=new-broadcast]')
    await agent.fill('input[name=title]', 'Feria del sábado')
    await agent.fill('textarea[name=text_es]', 'Este sábado hay feria productiva en la plaza.')
    await agent.check('input[name=regionIds][value="BO-LP"]')
    await agent.fill('input[name=followup_q_es]', '¿Va a participar?')
    await agent.fill('textarea[name=followup_opts_es]', 'Sí, me interesa\nNo puedo')
    await agent.click('[data-test=count-button]')
    await expect.poll(() => agent.locator('[data-test=count]').textContent()).toMatch(/\b3\b/)
    await agent.click('[data-test=preview-button]')
    const whatsapp = agent.locator('[data-test=preview-es] [data-test=preview-whatsapp]')
    await expect.poll(() => whatsapp.textContent()).toMatch(/1 = Sí, me interesa[\s\S]*BAJA/)
    await agent.screenshot({ path: path.join(ARTIFACTS, 'broadcast-compose.png'), fullPage: true })
    await agent.click('[data-test=save-button]')
    await agent.waitForURL(/\/admin\/broadcasts\/[\w-]+$/)
    const detailUrl = agent.url()
    await expect
      .poll(() => agent.locator('[data-test=status]').textContent())
      .toMatch(/aprobación/i)
    // nothing goes out before an admin approves
    expect(await agent.locator('[data-test=approve]').count()).toBe(0)
    await agentContext.close()

    const adminContext = await browser.newContext()
    const admin = await adminContext.newPage()
    await signIn(admin, 'admin@test.local')
    await admin.goto(detailUrl)
    await admin.click('[data-test=approve]')
    await admin.waitForURL(detailUrl)
    // the scheduler starts it and the dispatcher sends it: reload until all three are sent
    await expect
      .poll(
        async () => {
          await admin.reload()
          return admin.locator('[data-count=sent]').textContent()
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('3')
    await admin.screenshot({ path: path.join(ARTIFACTS, 'broadcast-progress.png'), fullPage: true })
    for (const w of women) {
      await expect
        .poll(async () => (await botTexts(w)).at(-1) ?? '', { timeout: 10_000 })
        .toMatch(/feria productiva[\s\S]*BAJA/)
    }

    // one answers the follow-up question, another writes BAJA
    await say(women[0]!, '1')
    expect((await botTexts(women[0]!)).at(-1)).toMatch(/Gracias/)
    await say(women[1]!, 'BAJA')

    await admin.click('[data-test=results-link]')
    await admin.waitForURL(/\/results$/)
    expect(await admin.locator('[data-result=delivered]').textContent()).toBe('3')
    expect(await admin.locator('[data-answer="1"] td').nth(1).textContent()).toBe('1')
    expect(await admin.locator('[data-answer="2"] td').nth(1).textContent()).toBe('0')
    expect(await admin.locator('[data-result=opt_outs_caused]').textContent()).toBe('1')
    await admin.screenshot({ path: path.join(ARTIFACTS, 'broadcast-results.png'), fullPage: true })
    const csv = await admin.request.get(`${detailUrl}/results.csv`)
    expect(csv.status()).toBe(200)
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(4)
    await adminContext.close()
  }, 120_000)
})
