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
  it('starts requests in arrival order, fewer per turn when turns run long', async () => {
    const admit = fairAdmission(10)
    let turn = 0
    const probe = () => {
      turn++
      if (turn < 200) setImmediate(probe)
    }
    setImmediate(probe)
    const started: { i: number; turn: number }[] = []
    for (let i = 0; i < 40; i++)
      admit(req(), res, () => {
        started.push({ i, turn })
        // the real work comes after an await, as a route's does
        void Promise.resolve().then(() => busy(3))
      })
    await new Promise((r) => setTimeout(r, 500))
    expect(started.map((s) => s.i)).toEqual([...Array(40).keys()])
    const perTurn = new Map<number, number>()
    for (const s of started) perTurn.set(s.turn, (perTurn.get(s.turn) ?? 0) + 1)
    const batches = [...perTurn.values()]
    // 3 ms each against a 10 ms turn: after the first turn's guess, three or four a turn
    expect(batches[0]).toBeLessThanOrEqual(8)
    expect(Math.max(...batches.slice(2))).toBeLessThanOrEqual(4)
    expect(batches.length).toBeGreaterThan(8)
  })

  it('does not start a request whose client has gone', async () => {
    const admit = fairAdmission()
    const started: number[] = []
    admit(req(true), res, () => started.push(1))
    admit(req(false), res, () => started.push(2))
    await new Promise((r) => setTimeout(r, 20))
    expect(started).toEqual([2])
  })
})

describe('fairAdmission on a busy server', () => {
  let close: () => void = () => {}
  afterEach(() => close())

  it('accepts and answers every one of 150 keep-alive connections while all of them keep sending', async () => {
    // Each answer costs 2 ms of synchronous work, as a SQLite turn does. Without the batches one
    // loop turn serves every accepted connection and libuv accepts one more per turn: about
    // 90 of the 150 are answered within 5 s and the rest wait in the accept queue.
    const app = express()
    app.use(fairAdmission())
    app.get('/busy', async (_q, s) => {
      await Promise.resolve()
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
