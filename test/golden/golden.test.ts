import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startTestBot } from '../support/test-bot.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'

// Golden transcripts: `> ` lines are hers, the lines until the next `> ` are exactly what the
// bot sends (its messages separated by one blank line, options as the plain-text channel shows
// them). Header lines start with `#`: `# clock: <ISO>` sets the time, `# wait: <n>h|m` advances
// it, `# user: <id>` changes who writes. Header only: `# seed: demo` adds the demo groups,
// trainings and cases (dated from the clock); `# contact: locale=es country=BO` makes her an
// existing contact who already consented (skips onboarding). `npm run golden -- --update`
// rewrites the files.
const dir = path.dirname(fileURLToPath(import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()
const update = process.env.GOLDEN_UPDATE === '1'

type Turn = { directives: string[]; said: string; expected: string }

function parseTranscript(text: string): { header: string[]; turns: Turn[] } {
  const header: string[] = []
  const turns: Turn[] = []
  let directives: string[] = []
  let current: Turn | undefined
  let body: string[] = []
  const flush = () => {
    if (current) current.expected = body.join('\n').trim()
    body = []
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('> ') || line === '>') {
      flush()
      current = { directives, said: line.slice(2), expected: '' }
      turns.push(current)
      directives = []
    } else if (line.startsWith('#')) {
      if (current) directives.push(line)
      else header.push(line)
    } else if (current) {
      body.push(line)
    }
  }
  flush()
  return { header, turns }
}

function directive(lines: string[], name: string): string | undefined {
  for (const line of lines) {
    const m = new RegExp(`${name}:\\s*(\\S+)`).exec(line)
    if (m) return m[1]
  }
  return undefined
}

describe.each(files)('golden %s', (file) => {
  it('replays exactly', async () => {
    const source = readFileSync(path.join(dir, file), 'utf8')
    const { header, turns } = parseTranscript(source)
    const bot = await startTestBot({ start: false })
    try {
      const clock = directive(header, 'clock')
      if (clock) bot.clock.set(clock)
      let user = directive(header, 'user') ?? 'golden'
      if (directive(header, 'seed') === 'demo') {
        await seedDemo(bot.database.db, { now: bot.clock.now(), log: bot.logger })
      }
      const contact = header.find((l) => /contact:/.test(l))
      if (contact) {
        const fields = Object.fromEntries([...contact.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]))
        await bot.database.db.contact.create({
          data: {
            id: `golden-${user}`,
            channel: 'web',
            channelUserId: user,
            locale: fields.locale ?? 'es',
            country: fields.country ?? null,
            regionId: fields.region ?? null,
            consentAt: bot.clock.now(),
          },
        })
      }
      const actual: string[] = [...header]
      for (const turn of turns) {
        for (const d of turn.directives) {
          const wait = /wait:\s*(\d+)([hm])/.exec(d)
          if (wait) bot.clock.advance(Number(wait[1]) * (wait[2] === 'h' ? 3_600_000 : 60_000))
          user = directive([d], 'user') ?? user
        }
        bot.clock.advance(30_000)
        // a user id like +591… stands for a WhatsApp number: the channel gives her phone
        const replies = await bot.say(user, turn.said, user.startsWith('+') ? { phone: user } : {})
        const got = replies.join('\n\n').trim()
        actual.push(...turn.directives, `> ${turn.said}`, got, '')
        if (!update) {
          expect(got, `after "> ${turn.said}" in ${file}`).toBe(turn.expected)
        }
      }
      if (update) writeFileSync(path.join(dir, file), `${actual.join('\n').trimEnd()}\n`)
    } finally {
      await bot.close()
    }
  })
})
