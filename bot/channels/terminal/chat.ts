import { createInterface } from 'node:readline'
import { parseConfig } from '../../../app/config.ts'
import { createLogger } from '../../../app/logger.ts'
import { openBot } from '../../../app/start-minka.ts'
import { renderPlainText } from '../../messages.ts'

// `npm run chat`: talk to the bot in the terminal, on the embedded database, through the same
// pipeline as every channel (the web channel, as user "terminal"). Piped input is read line by
// line, each line waiting for its replies, so `printf 'hola\n1\n' | npm run chat` works.
const parsed = parseConfig(process.env)
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`)
  process.exit(2)
}
const userArg = process.argv.indexOf('--user')
const userId = userArg > 0 ? (process.argv[userArg + 1] ?? 'terminal') : 'terminal'
const logger = createLogger(parsed.config.LOG_LEVEL === 'info' ? 'warn' : parsed.config.LOG_LEVEL)
const bot = await openBot(parsed.config, logger, {
  onAdminPassword: (email, password) =>
    process.stderr.write(`First admin account: ${email} / ${password} (shown once)\n`),
})
await bot.runtime.start()

const interactive = process.stdin.isTTY
const lines = createInterface({ input: process.stdin, terminal: interactive })
let counter = 0
const prompt = () => {
  if (interactive) process.stdout.write('> ')
}

async function say(text: string): Promise<void> {
  const result = await bot.runtime.pipeline.receive({
    channel: 'web',
    channelUserId: userId,
    platformMessageId: `terminal-${process.pid}-${Date.now()}-${counter++}`,
    text,
    receivedAt: new Date(),
  })
  if (result.duplicate) return
  const handled = await result.handled
  for (const reply of handled?.replies ?? [])
    process.stdout.write(`${renderPlainText(reply.payload)}\n\n`)
}

prompt()
for await (const line of lines) {
  if (!interactive) process.stdout.write(`> ${line}\n`)
  await say(line)
  prompt()
}
await bot.runtime.stop()
await bot.close()
