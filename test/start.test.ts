import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, spawnMinka as start, waitHealthy } from './support/minka-process.ts'

// `npm start` as a user runs it: the real entry point in a child process.
const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-start-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm start', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mongodb://x' }, 'DATABASE_URL'],
    [
      {
        TELEGRAM_WEBHOOK_URL: 'https://example.org/tg',
        TELEGRAM_BOT_TOKEN: '1:abcdefghijklmnopqrstuvwxyz',
      },
      'TELEGRAM_WEBHOOK_SECRET',
    ],
  ])('stops on bad configuration %o with exit code 2 and one line naming %s', async (env, name) => {
    const run = start(env)
    expect(await run.exited).toBe(2)
    const lines = run.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(name)
  })

  it('serves /healthz on an empty SQLite file, never logs the password or her words, stops on SIGTERM', async () => {
    const port = await freePort()
    const password = 'env-given-password-4242'
    const run = start({
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dir, 'start.db')}`,
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'info',
    })
    const res = await waitHealthy(port, run.child)
    const body = (await res.json()) as {
      status: string
      database: { provider: string }
      channels: object
    }
    expect(body.status).toBe('ok')
    expect(body.database.provider).toBe('sqlite')
    expect(body.channels).toHaveProperty('web')

    const secret = 'mi numero es 59171234567 y me llamo Zenobia'
    const post = await fetch(`http://127.0.0.1:${port}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: '+59171234567', text: secret }),
    })
    expect(post.status).toBe(202)
    const { id } = (await post.json()) as { id: string }
    expect(id).toBeTruthy()
    await expect
      .poll(async () => {
        const r = await fetch(
          `http://127.0.0.1:${port}/api/simulator/messages?userId=%2B59171234567`,
        )
        const conv = (await r.json()) as { messages: { from: string }[] }
        return conv.messages.filter((m) => m.from === 'bot').length
      })
      .toBeGreaterThan(0)

    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
    const out = run.output()
    expect(out).toContain('Minka is running')
    expect(out).not.toContain(password)
    expect(out).not.toContain('Zenobia')
    expect(out).not.toContain('71234567')
  })
})
