import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Request, Response } from 'express'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { fairAdmission } from './fair-admission.ts'

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

const req = (destroyed = false) => ({ socket: { destroyed } }) as unknown as Request
const res = {} as Response

describe('fairAdmission', () => {
  it('starts requests in arrival order and gives the loop back between slices', async () => {
    const admit = fairAdmission(5)
    const events: string[] = []
    for (let i = 0; i < 6; i++)
      admit(req(), res, () => {
        events.push(`r${i}`)
        busy(3)
      })
    // queued after all six: it runs as soon as the first slice hands the turn back
    setImmediate(() => events.push('loop'))
    await new Promise((r) => setTimeout(r, 100))
    expect(events.filter((e) => e !== 'loop')).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5'])
    expect(events.indexOf('loop')).toBeGreaterThan(0)
    expect(events.indexOf('loop')).toBeLessThanOrEqual(2)
  })

  it('does not start a request whose client has gone', async () => {
    const admit = fairAdmission()
    const started: number[] = []
    admit(req(true), res, () => started.push(1))
    admit(req(false), res, () => started.push(2))
    await new Promise((r) => setImmediate(r))
    expect(started).toEqual([2])
  })
})

describe('fairAdmission on a busy server', () => {
  let close: () => void = () => {}
  afterEach(() => close())

  it('accepts and answers every one of 150 keep-alive connections while all of them keep sending', async () => {
    // Each answer costs 2 ms of synchronous work, as a SQLite turn does. Without the slices one
    // loop turn serves every accepted connection and libuv accepts one more per turn: about
    // 90 of the 150 are answered within 5 s and the rest wait in the accept queue.
    const app = express()
    app.use(fairAdmission())
    app.get('/busy', (_q, s) => {
      busy(2)
      s.send('ok')
    })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const { port } = server.address() as AddressInfo
    const sockets = Array.from({ length: 150 }, () => connect(port, '127.0.0.1'))
    close = () => {
      for (const s of sockets) s.destroy()
      server.close()
    }
    const answered = new Set<number>()
    const ask = 'GET /busy HTTP/1.1\r\nHost: minka\r\n\r\n'
    sockets.forEach((s, i) => {
      s.on('data', (chunk: Buffer) => {
        if (!chunk.toString().startsWith('HTTP/1.1 200')) return
        answered.add(i)
        s.write(ask)
      })
      s.on('error', () => {})
      s.write(ask)
    })
    const deadline = performance.now() + 5_000
    while (answered.size < sockets.length && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    expect(answered.size).toBe(sockets.length)
  })
})
