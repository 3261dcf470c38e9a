import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { parseConfig } from '../app/config.ts'
import { createLogger } from '../app/logger.ts'
import { startMinka, type Minka } from '../app/start-minka.ts'
import { freshSqlite, type TestDatabase } from '../test/support/test-db.ts'
import { PASSWORD } from './admin-test-kit.ts'

/** Debian's chromium; .ci/run installs it when missing, and browser suites skip without it. */
export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
/** Screenshots land here (CI keeps the folder). */
export const ARTIFACTS = path.resolve('test-artifacts')

export function warnIfNoChromium(suite: string): void {
  if (!hasChromium) console.warn(`${suite} skipped: ${CHROMIUM} is missing`)
}

export type BrowserMinka = {
  minka: Minka
  browser: Browser
  /** Folder of this run's temporary files (attachments live under it). */
  profile: string
  stop: () => Promise<void>
}

/**
 * The whole of Minka on a fresh SQLite file with the seeded admin (admin@test.local), plus a
 * headless chromium. `env` adds or overrides configuration variables.
 */
export async function startMinkaWithBrowser(
  env: Record<string, string> = {},
): Promise<BrowserMinka> {
  const database: TestDatabase = await freshSqlite()
  await database.db.$disconnect()
  const profile = mkdtempSync(path.join(os.tmpdir(), 'minka-chromium-'))
  const parsed = parseConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    ADMIN_EMAIL: 'admin@test.local',
    ADMIN_PASSWORD: PASSWORD,
    ATTACHMENTS_DIR: path.join(profile, 'attachments'),
    OUTBOX_POLL_MS: '50',
    ...env,
  })
  if (!parsed.ok) throw new Error(parsed.message)
  const minka = await startMinka(parsed.config, createLogger('silent'))
  mkdirSync(ARTIFACTS, { recursive: true })
  // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
  const browser = await chromium.launch({
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
  return {
    minka,
    browser,
    profile,
    stop: async () => {
      await browser.close()
      await minka.stop()
      await database.cleanup()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Signs in through the login form and waits for the page staff land on. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  landing: RegExp = /\/admin\/cases/,
): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL(landing)
}

export type SimulatorEntry = { from: string; status?: string; payload?: { text?: string } }

/** Her side of the web channel (the simulator's JSON API), as a beneficiary would write. */
export function simulatorUser(baseUrl: string, userId: string) {
  const conversation = async (): Promise<SimulatorEntry[]> => {
    const res = await fetch(`${baseUrl}/api/simulator/messages?userId=${userId}`)
    return ((await res.json()) as { messages: SimulatorEntry[] }).messages
  }
  const botCount = async () => (await conversation()).filter((m) => m.from === 'bot').length
  return {
    conversation,
    botCount,
    /** Writes as her and waits until the bot has answered. */
    say: async (text: string) => {
      const before = await botCount()
      const res = await fetch(`${baseUrl}/api/simulator/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, text }),
      })
      expect(res.status).toBe(202)
      await expect.poll(botCount, { timeout: 15_000 }).toBeGreaterThan(before)
    },
  }
}

/**
 * Collects what should never happen on a page: CSP violations and script errors, dialogs (an
 * injected alert), and failed requests — except the statuses a test provokes on purpose.
 */
export function watchPageProblems(page: Page, expectedStatuses: number[] = []): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    // a failed load is reported by its response, with its address
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(m.text())
    }
  })
  page.on('response', (r) => {
    // browsers ask for a favicon the panel does not have
    if (
      r.status() >= 400 &&
      !expectedStatuses.includes(r.status()) &&
      !r.url().endsWith('/favicon.ico')
    ) {
      problems.push(`${r.status()} ${r.url()}`)
    }
  })
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  return problems
}
