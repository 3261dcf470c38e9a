import { parseConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { startMinka } from './start-minka.ts'

// `npm start`: one line and exit code 2 on bad configuration; otherwise run until a signal.
const parsed = parseConfig(process.env)
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`)
  process.exit(2)
}
const config = parsed.config
const logger = createLogger(config.LOG_LEVEL)
const started = performance.now()

try {
  const minka = await startMinka(config, logger, {
    onAdminPassword: (email, password) => {
      // Printed once, to the terminal only (never to the log): it is not stored anywhere else.
      process.stdout.write(
        `\nFirst admin account: ${email}\nPassword (shown once, change it after signing in): ${password}\n\n`,
      )
    },
  })
  logger.info({ url: minka.url, ms: Math.round(performance.now() - started) }, 'Minka is running')
  let signals = 0
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1)
    logger.info({ signal }, 'shutting down')
    minka.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
} catch (error) {
  process.stderr.write(`Minka could not start: ${(error as Error).message}\n`)
  process.exit(1)
}
