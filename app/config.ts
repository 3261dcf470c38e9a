import { z } from 'zod'
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './db/database-url.ts'

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const optionalUrl = z.url({ protocol: /^https?$/ }).optional()

/**
 * Every setting Minka reads, each from one environment variable. The README's configuration
 * table documents the same list; `config.test.ts` checks they agree.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((v) => parseDatabaseUrl(v) !== undefined, {
        message: 'expected file:<path> (SQLite) or postgresql://user@host:port/database',
      }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    ADMIN_EMAIL: z.email().default('admin@minka.local'),
    ADMIN_PASSWORD: z.string().min(12, 'expected at least 12 characters').optional(),
    SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
    DEFAULT_COUNTRY: z.enum(['BO', 'PA']).optional(),
    DEFAULT_LOCALE: z.enum(['es', 'en']).default('es'),
    SESSION_IDLE_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    WEB_CHANNEL: booleanFlag.default(true),
    WEB_CHANNEL_RATE_PER_MINUTE: z.coerce.number().int().positive().default(120),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'expected a BotFather token like 123456:ABC-DEF…')
      .optional(),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: optionalUrl,
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16–256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    WHATSAPP_ENABLED: booleanFlag.default(false),
    WHATSAPP_PAIRING_PHONE: z
      .string()
      .regex(/^\+?\d{8,15}$/, 'expected a phone number in international format, digits only')
      .optional(),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    ATTACHMENTS_DIR: z.string().min(1).default('data/attachments'),
    ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(16),
    WHATSAPP_ACCOUNT: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'expected 1–64 characters of A-Z a-z 0-9 _ -')
      .default('default'),
    WHATSAPP_SEND_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(60),
    WHATSAPP_CHAT_MIN_INTERVAL_MS: z.coerce.number().int().min(1000).max(60_000).default(1000),
    BROADCAST_RATE_WHATSAPP_PER_MINUTE: z.coerce.number().min(1).max(600).default(20),
    BROADCAST_JITTER_WHATSAPP_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    BROADCAST_RATE_TELEGRAM_PER_SECOND: z.coerce.number().min(0.1).max(30).default(20),
    ADMIN_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(0)
      .max(100 * 365)
      .default(365),
    BACKUP_DIR: z.string().min(1).default('data/backups'),
  })
  .superRefine((c, ctx) => {
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set',
      })
    }
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_BOT_TOKEN'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set',
      })
    }
  })

export type Config = z.infer<typeof configSchema>

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string }

/**
 * Parses the environment. An empty variable counts as unset, so `PORT=` in a .env file means
 * "the default", not "invalid". On failure returns one line naming the variable.
 */
export function parseConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const known = Object.keys(configSchema.shape)
  const input = Object.fromEntries(
    known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  )
  const parsed = configSchema.safeParse(input)
  if (parsed.success) return { ok: true, config: parsed.data }
  const issue = parsed.error.issues[0]!
  const name = String(issue.path[0] ?? 'configuration')
  const value = input[name]
  const shown = value === undefined || /SECRET|PASSWORD|TOKEN/.test(name) ? '' : ` (got "${value}")`
  return { ok: false, message: `Invalid configuration: ${name}: ${issue.message}${shown}` }
}
