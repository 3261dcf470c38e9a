import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Minka } from '../../app/start-minka.ts'
import { createStaff } from '../admin-test-kit.ts'
import {
  ARTIFACTS,
  hasChromium,
  signIn,
  startMinkaWithBrowser,
  warnIfNoChromium,
  watchPageProblems,
  type BrowserMinka,
} from '../browser-test-kit.ts'

// Trainings in a real browser (issue 9): an agent creates one, then takes attendance at the
// door on her phone. .ci/run installs Debian's chromium when missing.
warnIfNoChromium('trainings browser test')

describe.skipIf(!hasChromium)('trainings in chromium', () => {
  let run: BrowserMinka
  let minka: Minka
  let browser: Browser

  beforeAll(async () => {
    run = await startMinkaWithBrowser({ WEB_CHANNEL: 'false' })
    ;({ minka, browser } = run)
    await createStaff(minka.database.db, 'agent@test.local', 'agent', ['BO-LP'])
  }, 120_000)

  afterAll(async () => {
    await run?.stop()
  })

  it('an agent creates a training and marks attendance on a phone', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    const page = await context.newPage()
    // the 400 is the form sent back with its error, on purpose
    const problems = watchPageProblems(page, [400])

    await signIn(page, minka.url, 'agent@test.local')

    await page.goto(`${minka.url}/admin/trainings`)
    await page.click('[data-test=new-training]')
    await page.fill('input[name=title]', 'Contabilidad para cooperativas')
    await page.fill('input[name=place]', 'Casa Comunal, Villa Adela')
    await page.selectOption('select[name=regionId]', 'BO-LP')
    await page.fill('input[name=startDate]', '2030-04-02')
    await page.fill('input[name=startTime]', '09:00')
    await page.fill('input[name=endDate]', '2030-04-02')
    // first an end before the start: the form comes back with the error and her values
    await page.fill('input[name=endTime]', '08:00')
    await page.fill('input[name=capacity]', '20')
    await page.click('[data-test=save-training]')
    await expect.poll(() => page.locator('[data-error-for=end]').count()).toBe(1)
    expect(await page.inputValue('input[name=place]')).toBe('Casa Comunal, Villa Adela')
    await page.screenshot({
      path: path.join(ARTIFACTS, 'trainings-form-error-phone.png'),
      fullPage: true,
    })
    await page.fill('input[name=endTime]', '12:00')
    await page.click('[data-test=save-training]')
    await page.waitForURL(/\/admin\/trainings\/[0-9a-f-]{36}$/)
    const id = page.url().split('/').at(-1)!
    const stored = await minka.database.db.training.findUniqueOrThrow({ where: { id } })
    expect(stored.startsAt.toISOString()).toBe('2030-04-02T13:00:00.000Z')

    // three women register through the bot (written here directly)
    const db = minka.database.db
    const names = ['Rosa Mamani', 'Lidia Quispe', 'Ñusta Condori']
    const regs: string[] = []
    for (const name of names) {
      const contactId = randomUUID()
      await db.contact.create({
        data: {
          id: contactId,
          channel: 'telegram',
          channelUserId: contactId,
          displayName: name,
          regionId: 'BO-LP',
          country: 'BO',
          consentAt: new Date(),
        },
      })
      const regId = randomUUID()
      await db.trainingRegistration.create({
        data: { id: regId, trainingId: id, contactId, status: 'registered' },
      })
      regs.push(regId)
    }
    await page.reload()
    expect(await page.locator('[data-test=capacity]').textContent()).toContain(
      '3 inscritas de 20 cupos',
    )

    // big enough to hit with a thumb, and nothing wider than the phone
    for (const reg of regs) {
      const box = await page.locator(`label[data-registration-id="${reg}"]`).boundingBox()
      expect(box!.height).toBeGreaterThanOrEqual(44)
      expect(box!.width).toBeLessThanOrEqual(390)
    }
    // nothing wider than the phone: the page never scrolls sideways (a string, as the test
    // compiles without the DOM's types)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await page.tap(`label[data-registration-id="${regs[0]}"]`)
    await page.tap(`label[data-registration-id="${regs[2]}"]`)
    await page.tap('[data-test=save-attendance]')
    await page.waitForURL(/saved=1/)
    expect(await page.locator('[data-test=saved]').count()).toBe(1)
    const rows = await db.trainingRegistration.findMany({ where: { trainingId: id } })
    expect(Object.fromEntries(rows.map((r) => [r.id, r.attended]))).toEqual({
      [regs[0]!]: true,
      [regs[1]!]: false,
      [regs[2]!]: true,
    })
    expect(await page.isChecked(`label[data-registration-id="${regs[2]}"] input`)).toBe(true)
    expect(await page.locator('[data-test=capacity]').textContent()).toContain('2 asistieron')
    await page.screenshot({
      path: path.join(ARTIFACTS, 'trainings-attendance-phone.png'),
      fullPage: true,
    })
    expect(
      await db.auditLog.count({ where: { action: 'training.attendance', entityId: id } }),
    ).toBe(1)
    await page.goto(`${minka.url}/admin/trainings`)
    const row = page.locator(`tr[data-training-id="${id}"] [data-test=registered]`)
    expect(await row.textContent()).toBe('3 / 20')
    await page.screenshot({
      path: path.join(ARTIFACTS, 'trainings-list-phone.png'),
      fullPage: true,
    })
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)
})
