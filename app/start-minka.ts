import type { Server } from 'node:http'
import type { i18n } from 'i18next'
import type { Config } from './config.ts'
import { migrateDatabase } from './db/migrate.ts'
import { openDatabase, tuneDatabase, type OpenDatabase } from './db/open.ts'
import { healthRouter } from './http/health.ts'
import { createHttpApp } from './http/server.ts'
import type { Logger } from './logger.ts'
import { seedProgramme } from '../prisma/seed/seed.ts'
import { loadProgrammeFlows } from '../flows/programme-flows.ts'
import { Runtime } from '../bot/runtime.ts'
import { simulatorRoutes } from '../bot/channels/web/simulator-routes.ts'
import { AttachmentStore } from '../bot/attachments/attachment-store.ts'
import type { ChannelModule } from '../bot/channels/channel-module.ts'
import { createChannelModules } from './channels.ts'
import { adminRouter } from '../admin/admin-router.ts'
import { TranslationOverrideSync } from '../bot/i18n-overrides/overrides.ts'

export type Minka = {
  database: OpenDatabase
  runtime: Runtime
  server: Server
  url: string
  stop: () => Promise<void>
}

export type Bot = {
  database: OpenDatabase
  runtime: Runtime
  channels: ChannelModule[]
  attachments: AttachmentStore
  i18n: i18n
  /** Disconnects the database after the runtime stopped. */
  close: () => Promise<void>
}

/**
 * Prepares the bot without HTTP: database (migrated, seeded), flows (checked, throwing with
 * every problem listed), translations, and the runtime (not yet started). `npm start`, the
 * terminal chat, golden transcripts and the benchmark all start this way.
 */
export async function openBot(
  config: Config,
  logger: Logger,
  opts: {
    now?: () => Date
    onAdminPassword?: (email: string, password: string) => void
    /** Start Telegram/WhatsApp as configured (npm start); the chat and tests use web only. */
    withChannels?: boolean
  } = {},
): Promise<Bot> {
  const { registry, i18n } = await loadProgrammeFlows() // throws listing every flow problem
  const database = openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE })
  const { db, target } = database
  const migrated = await migrateDatabase(db, target)
  await tuneDatabase(database)
  logger.info({ provider: target.provider, migrated }, 'database ready')
  const seeded = await seedProgramme(db, {
    adminEmail: config.ADMIN_EMAIL,
    adminPassword: config.ADMIN_PASSWORD,
    log: logger,
  })
  if (seeded.generatedPassword) opts.onAdminPassword?.(config.ADMIN_EMAIL, seeded.generatedPassword)
  // staff translations over the locale files; another process's edits arrive within seconds
  const translations = new TranslationOverrideSync(db, i18n, { logger })
  await translations.load()
  translations.start()
  const attachments = new AttachmentStore(
    config.ATTACHMENTS_DIR,
    config.ATTACHMENT_MAX_MB * 1_048_576,
  )
  const channels = opts.withChannels
    ? await createChannelModules({ config, db, logger, attachments })
    : []
  const runtime = new Runtime({
    adapters: channels.map((c) => c.adapter),
    db,
    provider: target.provider,
    registry,
    i18n,
    logger,
    now: opts.now,
    sessionIdleMs: config.SESSION_IDLE_HOURS * 3_600_000,
    defaultLocale: config.DEFAULT_LOCALE,
    pollMs: config.OUTBOX_POLL_MS,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    broadcastRates: {
      whatsapp: {
        perSecond: config.BROADCAST_RATE_WHATSAPP_PER_MINUTE / 60,
        jitterMs: config.BROADCAST_JITTER_WHATSAPP_MS,
      },
      telegram: { perSecond: config.BROADCAST_RATE_TELEGRAM_PER_SECOND },
    },
    databaseUrl: config.DATABASE_URL,
    channelAccounts: channelAccounts(config),
    retentionDays: config.RETENTION_DAYS,
    attachmentPath: (ref) => attachments.pathOf(ref),
  })
  const close = async () => {
    translations.stop()
    await db.$disconnect()
  }
  return { database, runtime, channels, attachments, i18n, close }
}

/** Each platform channel's account, whose outbox one process at a time dispatches. */
function channelAccounts(config: Config): Record<string, string> {
  return {
    telegram: config.TELEGRAM_BOT_TOKEN?.split(':')[0] ?? '',
    whatsapp: config.WHATSAPP_ACCOUNT,
  }
}

/** Starts everything: the bot and the HTTP server. */
export async function startMinka(
  config: Config,
  logger: Logger,
  opts: { now?: () => Date; onAdminPassword?: (email: string, password: string) => void } = {},
): Promise<Minka> {
  const { database, runtime, channels, attachments, i18n, close } = await openBot(config, logger, {
    ...opts,
    withChannels: true,
  })
  const { db, target } = database
  const routers = [healthRouter({ db, target, channels: () => runtime.channelHealth() })]
  if (config.WEB_CHANNEL) {
    routers.push(
      simulatorRoutes({
        db,
        pipeline: runtime.pipeline,
        ratePerMinute: config.WEB_CHANNEL_RATE_PER_MINUTE,
        now: opts.now,
      }),
    )
  }
  for (const channel of channels) if (channel.routes) routers.push(channel.routes)
  routers.push(
    adminRouter({
      db,
      i18n,
      logger,
      wakeDispatcher: () => runtime.dispatcher.wake(),
      channelHealth: () => runtime.channelHealth(),
      channelStaffRoutes: channels.flatMap((c) => (c.staffRoutes ? [c.staffRoutes] : [])),
      attachments,
      sessionSecret: config.SESSION_SECRET,
      sessionIdleMinutes: config.ADMIN_SESSION_IDLE_MINUTES,
      now: opts.now,
    }),
  )
  const app = createHttpApp(routers, logger)
  await runtime.start()
  for (const channel of channels) await channel.start(runtime.pipeline)
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s))
    s.on('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  const url = `http://${config.HOST}:${port}`
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      for (const channel of channels) await channel.stop()
      await runtime.stop()
      await close()
    })())
  return { database, runtime, server, url, stop }
}
