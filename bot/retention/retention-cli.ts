import { parseConfig } from '../../app/config.ts'
import { openDatabase, tuneDatabase } from '../../app/db/open.ts'
import { AttachmentStore } from '../attachments/attachment-store.ts'
import { applyRetention } from './retention.ts'

// `npm run retention [-- --days N]`: the daily retention run, now, on DATABASE_URL.
const parsed = parseConfig(process.env)
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`)
  process.exit(2)
}
const config = parsed.config
const flag = process.argv.indexOf('--days')
const days = flag >= 0 ? Number(process.argv[flag + 1]) : config.RETENTION_DAYS
if (!Number.isInteger(days) || days < 0) {
  process.stderr.write('--days: expected a whole number of days (0 keeps everything)\n')
  process.exit(2)
}
if (days === 0) {
  process.stdout.write('Retention is off (RETENTION_DAYS=0): nothing deleted.\n')
  process.exit(0)
}
const database = openDatabase(config.DATABASE_URL)
try {
  await tuneDatabase(database)
  const store = new AttachmentStore(config.ATTACHMENTS_DIR, config.ATTACHMENT_MAX_MB * 1_048_576)
  const result = await applyRetention({
    db: database.db,
    days,
    now: new Date(),
    attachmentPath: (ref) => store.pathOf(ref),
  })
  process.stdout.write(`Retention (${days} days): ${JSON.stringify(result)}\n`)
  process.exitCode = result.fileErrors > 0 ? 1 : 0
} finally {
  await database.db.$disconnect()
}
