// `npm run golden [-- --update]`: replays the transcripts; with --update rewrites them from
// what the bot says now (review the diff before committing).
import { spawnSync } from 'node:child_process'

const update = process.argv.includes('--update')
const result = spawnSync('npx', ['vitest', 'run', 'test/golden'], {
  stdio: 'inherit',
  env: { ...process.env, GOLDEN_UPDATE: update ? '1' : '0' },
})
process.exit(result.status ?? 1)
