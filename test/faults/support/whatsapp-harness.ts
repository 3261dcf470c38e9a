import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createI18n, readLocaleResources } from '../../../app/i18n.ts'
import { createLogger } from '../../../app/logger.ts'
import { AttachmentStore } from '../../../bot/attachments/attachment-store.ts'
import { fakeSocketFactory } from '../../../bot/channels/whatsapp/fake-socket.ts'
import { WhatsAppChannel } from '../../../bot/channels/whatsapp/whatsapp-channel.ts'
import { Runtime } from '../../../bot/runtime.ts'
import { flowDefinitions } from '../../../flows/definitions/index.ts'
import { loadFlows } from '../../../flows/registry.ts'
import { seedProgramme } from '../../../prisma/seed/seed.ts'
import { freshSqlite } from '../../support/test-db.ts'
import { LogCapture } from './log-capture.ts'

const resources = readLocaleResources()
const registry = loadFlows(flowDefinitions, resources)

/**
 * Minka's bot with its WhatsApp channel on a fake Baileys socket (fresh SQLite, simulated pacing
 * time, reconnections at once but with the delay the policy asked for recorded). `close` it.
 */
export async function startWhatsAppHarness() {
  const cleanups: (() => Promise<void> | void)[] = []
  const database = await freshSqlite()
  cleanups.push(() => database.cleanup())
  const logs = new LogCapture()
  const logger = createLogger('info', logs.stream)
  await seedProgramme(database.db, { adminEmail: 'a@test.local', adminPassword: 'a-long-test-password', log: createLogger('silent') }) // prettier-ignore
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-wa-faults-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const sockets = fakeSocketFactory()
  const delays: number[] = []
  let t = Date.parse('2026-03-02T18:00:00Z')
  const i18n = await createI18n(resources)
  const channel = new WhatsAppChannel({
    db: database.db,
    logger,
    i18n,
    staffLocale: 'es',
    attachments: new AttachmentStore(dir, 1_000_000),
    account: 'default',
    sendsPerMinute: 60_000,
    chatMinIntervalMs: 1_000,
    makeSocket: sockets,
    clock: {
      now: () => t,
      sleep: async (ms) => {
        t += ms
        await new Promise((r) => setImmediate(r))
      },
      random: () => 0.5,
    },
    setTimer: (fn, ms) => {
      delays.push(ms)
      setImmediate(fn) // reconnect at once, remembering the delay the policy asked for
      return () => undefined
    },
    printToTerminal: () => undefined,
  })
  const runtime = new Runtime({
    db: database.db,
    provider: 'sqlite',
    registry,
    i18n,
    logger,
    pollMs: 10,
    adapters: [channel.adapter],
  })
  await runtime.start()
  await channel.start(runtime.pipeline)
  cleanups.push(async () => {
    await channel.stop()
    await runtime.stop()
  })
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  }
  return { db: database.db, channel, sockets, delays, logs, close }
}

export const jid = (i: number) => `5917100${String(i).padStart(4, '0')}@s.whatsapp.net`

export function welcomes(texts: string[]) {
  return texts.filter((t) => /Soy Minka/.test(t)).length
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
}
