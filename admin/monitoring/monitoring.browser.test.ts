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
import { seedMonitoringFixture } from './monitoring-fixture.ts'

// The dashboard in a real browser: a regional director filters by one of her regions, sees
// the charts, and follows a week's cases down to one case (issue 9's "done when").
warnIfNoChromium('monitoring browser test')

describe.skipIf(!hasChromium)('monitoring dashboard in chromium', () => {
  let run: BrowserMinka
  let minka: Minka
  let browser: Browser

  beforeAll(async () => {
    run = await startMinkaWithBrowser()
    ;({ minka, browser } = run)
    await seedMonitoringFixture(minka.database.db, new Date())
    await createStaff(minka.database.db, 'directora@test.local', 'agent', ['BO-LP', 'BO-CB'])
  }, 120_000)

  afterAll(async () => {
    await run?.stop()
  })

  it('a regional director filters by region and goes from a figure down to a single case', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const problems = watchPageProblems(page)

    await signIn(page, minka.url, 'directora@test.local')

    await page.click('a[href="/admin/monitoring"]')
    await page.waitForURL(/\/admin\/monitoring$/)
    const regionsBefore = await page.locator('[data-table=groups_by_region] tbody tr').count()
    expect(regionsBefore).toBe(2)

    await page.selectOption('[data-test=monitoring-filters] select[name=region]', 'BO-CB')
    await page.click('[data-test=monitoring-filters] button[type=submit]')
    await page.waitForURL(/region=BO-CB/)
    const regionRows = page.locator('[data-table=groups_by_region] tbody tr')
    expect(await regionRows.count()).toBe(1)
    expect(await regionRows.first().locator('th').textContent()).toBe('Cochabamba')
    // one programme (Bolivia's) in a Bolivian region: eight charts
    expect(await page.locator('svg.chart[role=img]').count()).toBe(8)
    expect(await page.locator('svg.chart title').first().textContent()).toBeTruthy()
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true })

    // a week's bar of cases opened, down to the inbox with the same filters
    const bar = page.locator('[data-chart=chart-cases-week] a.bar-link').last()
    const shown = Number(await bar.locator('text.value').textContent())
    expect(shown).toBeGreaterThan(0)
    await bar.click()
    await page.waitForURL(/\/admin\/cases\?.*region=BO-CB/)
    expect(await page.locator('[data-tab=all] .count').textContent()).toBe(String(shown))
    const first = page.locator('tr.case-row').first()
    const caseId = Number(await first.getAttribute('data-case-id'))
    await first.locator('a').first().click()
    await page.waitForURL(new RegExp(`/admin/cases/${caseId}$`))
    const c = await minka.database.db.case.findUniqueOrThrow({ where: { id: caseId } })
    expect(c.regionId).toBe('BO-CB')
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)
})
