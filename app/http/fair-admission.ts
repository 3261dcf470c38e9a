import type { RequestHandler } from 'express'

/**
 * Starts requests in arrival order, only a few milliseconds' worth per event-loop turn.
 *
 * libuv (since 1.45) accepts one new connection per turn of the loop. With SQLite a request's
 * work runs synchronously inside the turn that read it, so under load one turn served every
 * open connection — hundreds of milliseconds — and connections waiting in the kernel's accept
 * queue were taken one per turn: the load test's 200 connections saw some never answered in
 * 30 s (timeouts) while the others were served in under a second. Deferring the work to
 * setImmediate slices keeps each turn short, so every waiting connection is accepted within
 * a few turns and all requests queue fairly instead.
 */
export function fairAdmission(budgetMs = 5): RequestHandler {
  const waiting: (() => void)[] = []
  let scheduled = false
  const run = () => {
    scheduled = false
    const started = performance.now()
    while (waiting.length > 0 && performance.now() - started < budgetMs) waiting.shift()!()
    if (waiting.length > 0) schedule()
  }
  const schedule = () => {
    scheduled = true
    setImmediate(run)
  }
  return (req, _res, next) => {
    waiting.push(() => {
      // Nobody is left to read the answer; a webhook sender retries, the work would be waste.
      if (req.socket.destroyed) return
      next()
    })
    if (!scheduled) schedule()
  }
}
