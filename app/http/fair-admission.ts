import type { RequestHandler } from 'express'

/**
 * Starts requests in arrival order, as many per event-loop turn as keep a turn near `turnMs`.
 *
 * libuv (1.46 in Node 20) accepts one new connection per turn of the loop. With SQLite a request's
 * work runs synchronously inside the turn that read it, so under load one turn served every
 * open connection — hundreds of milliseconds — and connections waiting in the kernel's accept
 * queue were taken one per turn: in the load test some of 200 connections were never answered
 * in 30 s while the others were served in under a second. Here requests wait in a queue and
 * each turn starts a batch of them together (so their writes still share one group commit,
 * bot/pipeline/group-commit.ts); the batch shrinks when a turn ran long and grows while turns
 * are short, so the loop comes back to accept() every `turnMs` or so.
 */
export function fairAdmission(turnMs = 10, maxBatch = 256): RequestHandler {
  const waiting: (() => void)[] = []
  let batch = 8
  let lastTurnAt: number | null = null
  let scheduled = false
  const run = () => {
    scheduled = false
    const now = performance.now()
    if (lastTurnAt !== null) {
      const turn = now - lastTurnAt
      batch =
        turn > turnMs
          ? Math.max(1, Math.floor((batch * turnMs) / turn))
          : Math.min(maxBatch, Math.ceil(batch * 1.25))
    }
    for (let i = 0; i < batch && waiting.length > 0; i++) waiting.shift()!()
    // An idle gap is not a long turn: measure only between turns that had work waiting.
    lastTurnAt = waiting.length > 0 ? now : null
    if (waiting.length > 0) schedule()
  }
  const schedule = () => {
    scheduled = true
    setImmediate(run)
  }
  return (req, _res, next) => {
    waiting.push(() => {
      // Nobody is left to read the answer; a webhook sender retries, the work would be waste.
      if (!req.socket.destroyed) next()
    })
    if (!scheduled) schedule()
  }
}
