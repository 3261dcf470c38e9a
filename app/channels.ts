import type { AttachmentStore } from '../bot/attachments/attachment-store.ts'
import type { ChannelModule } from '../bot/channels/channel-module.ts'
import type { Config } from './config.ts'
import type { Db } from './db/open.ts'
import type { Logger } from './logger.ts'

export type ChannelDeps = {
  config: Config
  db: Db
  logger: Logger
  attachments: AttachmentStore
}

/** The platform channels this configuration turns on (the web channel is always there). */
export async function createChannelModules(_deps: ChannelDeps): Promise<ChannelModule[]> {
  const modules: ChannelModule[] = []
  if (_deps.config.WHATSAPP_ENABLED)
    modules.push(
      await (
        await import('../bot/channels/whatsapp/whatsapp-channel.ts')
      ).createWhatsAppModule(_deps),
    )
  if (_deps.config.TELEGRAM_BOT_TOKEN)
    modules.push(
      await (
        await import('../bot/channels/telegram/telegram-module.ts')
      ).createTelegramModule(_deps),
    )
  return modules
}
