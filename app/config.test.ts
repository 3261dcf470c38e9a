import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configSchema, parseConfig } from './config.ts'

describe('parseConfig', () => {
  it('starts with no variables at all, on the embedded SQLite database', () => {
    const parsed = parseConfig({})
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'file:./data/minka.db',
      WEB_CHANNEL: true,
      WHATSAPP_ENABLED: false,
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
    })
  })

  it('treats an empty variable as unset', () => {
    const parsed = parseConfig({ PORT: '', LOG_LEVEL: '' })
    expect(parsed.ok && parsed.config.PORT).toBe(3000)
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_EMAIL: 'not-an-email' }, 'ADMIN_EMAIL'],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: 'nonsense' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_API_ROOT: 'ftp://x' }, 'TELEGRAM_API_ROOT'],
    [
      {
        TELEGRAM_WEBHOOK_URL: 'https://example.org/hook',
        TELEGRAM_BOT_TOKEN: '123:abcdefghijklmnopqrstuvwxyz',
      },
      'TELEGRAM_WEBHOOK_SECRET',
    ],
    [{ WHATSAPP_ENABLED: 'maybe' }, 'WHATSAPP_ENABLED'],
    [{ WHATSAPP_PAIRING_PHONE: 'call me' }, 'WHATSAPP_PAIRING_PHONE'],
    [{ DEFAULT_COUNTRY: 'PE' }, 'DEFAULT_COUNTRY'],
    [{ WEB_CHANNEL: 'off' }, 'WEB_CHANNEL'],
    [{ SESSION_IDLE_HOURS: '-1' }, 'SESSION_IDLE_HOURS'],
  ])('rejects %o with one line naming %s', (env, name) => {
    const parsed = parseConfig(env)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.message.split('\n')).toHaveLength(1)
    expect(parsed.message).toContain(`${name}:`)
  })

  it('never echoes a secret value in the error', () => {
    const parsed = parseConfig({ ADMIN_PASSWORD: 'tiny-pass' })
    expect(!parsed.ok && parsed.message).not.toContain('tiny-pass')
  })

  it('documents every variable in the README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    for (const name of Object.keys(configSchema.shape)) expect(readme).toContain(`| \`${name}\``)
  })
})
