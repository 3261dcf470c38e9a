import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Minka } from '../../app/start-minka.ts'
import {
  ARTIFACTS,
  hasChromium,
  signIn,
  simulatorUser,
  startMinkaWithBrowser,
  warnIfNoChromium,
  type BrowserMinka,
} from '../browser-test-kit.ts'
import { createStaff } from '../admin-test-kit.ts'
import { createGroupRow } from './group-test-kit.ts'

// A regional director follows her groups in a real browser (issue 9) and a beneficiary on the
// web channel gets the phase notice: the outbox row is dispatched and delivered, not just written.
warnIfNoChromium('groups browser test')

describe.skipIf(!hasChromium)('groups in chromium', () => {
  let run: BrowserMinka
  let minka: Minka
  let browser: Browser
  const groups: Record<string, string> = {}
  const conversation = (userId: string) => simulatorUser(minka.url, userId).conversation()
  const say = (userId: string, text: string) => simulatorUser(minka.url, userId).say(text)

  beforeAll(async () => {
    run = await startMinkaWithBrowser()
    ;({ minka, browser } = run)
    const db = minka.database.db
    await createStaff(db, 'directora@test.local', 'agent', ['BO-LP'])
    groups.own = await createGroupRow(db, {
      name: 'Bordadoras de El Alto',
      regionId: 'BO-LP',
      municipality: 'El Alto',
      rubroId: 'artesania',
    })
    groups.cochabamba = await createGroupRow(db, { name: 'Tejedoras del Valle', regionId: 'BO-CB' })
    groups.panama = await createGroupRow(db, { name: 'Artesanas de Chepo', regionId: 'PA-8' })
  }, 120_000)

  afterAll(async () => {
    await run?.stop()
  })

  it('a director sees only her region, moves a group on and the member is told', async () => {
    // a member of the group, writing on the web channel (she accepted the privacy notice)
    const user = `socia-${Date.now()}`
    await say(user, 'hola')
    await say(user, '1')
    const db = minka.database.db
    const contact = await db.contact.findUniqueOrThrow({
      where: { channel_channelUserId: { channel: 'web', channelUserId: user } },
    })
    expect(contact.consentAt).not.toBeNull()
    await db.contact.update({
      where: { id: contact.id },
      data: { country: 'BO', regionId: 'BO-LP', locale: 'es', displayName: 'Rosa' },
    })
    await db.groupMember.create({
      data: { id: `m-${user}`, groupId: groups.own!, contactId: contact.id, role: 'presidenta' },
    })

    const context = await browser.newContext()
    const page = await context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await signIn(page, minka.url, 'directora@test.local')
    await page.goto(`${minka.url}/admin/groups`)
    const rows = page.locator('tr.group-row')
    expect(await rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('Bordadoras de El Alto')
    const listText = await page.locator('main').textContent()
    expect(listText).not.toContain('Tejedoras del Valle')
    expect(listText).not.toContain('Artesanas de Chepo')
    await page.screenshot({ path: path.join(ARTIFACTS, 'groups-list.png'), fullPage: true })

    // another region's group is a 404, even by its address
    const other = await page.goto(`${minka.url}/admin/groups/${groups.cochabamba}`)
    expect(other?.status()).toBe(404)
    expect(await page.locator('main').textContent()).not.toContain('Tejedoras del Valle')

    await page.goto(`${minka.url}/admin/groups`)
    await page.click('tr.group-row a')
    await page.waitForURL(new RegExp(`/admin/groups/${groups.own}$`))
    expect(await page.locator('[data-test=current-phase] strong').textContent()).toContain(
      'Identificación de actores sociales',
    )
    expect(await page.locator('[data-test=member]').textContent()).toContain('Rosa')
    await page.fill('[data-test=phase-note]', 'Convenio firmado con la gobernación')
    await page.click('[data-test=move-phase]')
    await page.waitForURL(new RegExp(`/admin/groups/${groups.own}#phases$`))
    expect(await page.locator('[data-test=current-phase] strong').textContent()).toContain(
      'Presentación del programa y articulación interinstitucional',
    )
    expect(await page.locator('#phases').textContent()).toContain(
      'Convenio firmado con la gobernación',
    )

    // the outbox row is dispatched on the web channel and she sees it in her chat
    await expect
      .poll(
        async () => {
          const notice = (await conversation(user)).find((m) =>
            m.payload?.text?.includes('pasó a la fase 2 de 4'),
          )
          return notice?.status
        },
        { timeout: 15_000 },
      )
      .toBe('sent')
    const row = await db.outboundMessage.findFirstOrThrow({
      where: { origin: 'group', originId: groups.own, contactId: contact.id },
    })
    expect(row.status).toBe('sent')
    expect(row.sentAt).not.toBeNull()
    await page.screenshot({ path: path.join(ARTIFACTS, 'group-phase-moved.png'), fullPage: true })

    // the simulator page shows her chat as she sees it
    expect(
      (await conversation(user)).filter((m) => m.payload?.text?.includes('Bordadoras de El Alto')),
    ).toHaveLength(1)
    expect(dialogs).toEqual([])
    await context.close()
  }, 120_000)

  it('an admin adds a municipality as a partner, renames it and refers a group to it', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, minka.url, 'admin@test.local')
    await page.goto(`${minka.url}/admin/lists/partners`)
    await page.fill('form.grid input[name=name]', 'Gobierno Municipal de El Alto')
    await page.selectOption('form.grid select[name=country]', 'BO')
    await page.selectOption('form.grid select[name=kind]', 'municipio')
    await page.click('[data-test=add]')
    await page.waitForURL(/done=created/)
    const partner = await minka.database.db.partner.findFirstOrThrow({
      where: { kind: 'municipio' },
    })
    // the row's fields belong to its own form (form="edit-<id>"): rename it in place
    const row = page.locator(`tr[data-list-id="${partner.id}"]`)
    await row.locator('input[name=name]').fill('GAM El Alto')
    await row.locator('button', { hasText: 'Guardar' }).click()
    await page.waitForURL(/done=saved/)
    expect(
      await page.locator(`tr[data-list-id="${partner.id}"] input[name=name]`).inputValue(),
    ).toBe('GAM El Alto')
    await page.screenshot({ path: path.join(ARTIFACTS, 'lists-partners.png'), fullPage: true })

    await page.goto(`${minka.url}/admin/groups/${groups.own}`)
    await page.selectOption('select[name=partnerId]', partner.id)
    await page.click('[data-test=refer]')
    await page.waitForURL(/#referrals$/)
    expect(await page.locator('#referrals').textContent()).toContain('GAM El Alto')
    expect(await page.locator('[data-test=referral-status]').textContent()).toBe('Propuesta')
    await context.close()
  }, 60_000)
})
