import { startMinka } from '../../test/support/minka-process.ts'

/** Minka as a deployment runs it, for the benches: no web-chat rate limit, no retention job. */
export function startBenchMinka(databaseUrl: string, env: Record<string, string> = {}) {
  return startMinka({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    ADMIN_PASSWORD: 'bench-password-123',
    SESSION_SECRET: 'b'.repeat(40),
    WEB_CHANNEL_RATE_PER_MINUTE: '100000000',
    RETENTION_DAYS: '0',
    ...env,
  })
}
