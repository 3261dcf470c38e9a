import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Pipeline } from '../../bot/pipeline/pipeline.ts'

/** Her five turns: greeting, consent, language, country, then a menu option (her data). */
export const SCRIPT = ['hola', '1', '1', '1', '3']

export type ClosedLoopResult = {
  users: number
  turns: number
  messages: number
  seconds: number
  msgsPerS: number
  cpuMsPerMsg: number
  lost: number
  peakRssMb: number
}

/** Samples RSS until stopped; returns the peak in MB. */
export function rssSampler() {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  return () => {
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss)
    return Math.round(peak / 1_048_576)
  }
}

let counter = 0
async function send(pipeline: Pipeline, user: string, text: string): Promise<number> {
  const result = await pipeline.receive({
    channel: 'web',
    channelUserId: user,
    platformMessageId: `bench-${process.pid}-${counter++}`,
    text,
    receivedAt: new Date(),
  })
  if (result.duplicate) return 0
  const handled = await result.handled
  return handled?.replies.length ?? 0
}

/**
 * Closed loop: every user sends her next answer as soon as the reply to the previous one is
 * written. A turn without a reply counts as lost.
 */
export async function closedLoop(
  pipeline: Pipeline,
  users: number,
  prefix: string,
): Promise<ClosedLoopResult> {
  const stopRss = rssSampler()
  const cpu = process.cpuUsage()
  const started = performance.now()
  let lost = 0
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      for (const text of SCRIPT) if ((await send(pipeline, `${prefix}-${u}`, text)) === 0) lost++
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const messages = users * SCRIPT.length
  return {
    users,
    turns: SCRIPT.length,
    messages,
    seconds,
    msgsPerS: Math.round(messages / seconds),
    cpuMsPerMsg: Number(((used.user + used.system) / 1000 / messages).toFixed(3)),
    lost,
    peakRssMb: stopRss(),
  }
}

export type OpenLoopResult = {
  offeredPerS: number
  seconds: number
  messages: number
  p50: number
  p95: number
  p99: number
  max: number
  lost: number
  eventLoopP99Ms: number
}

/** The p-th percentile of sorted values, to 0.01. */
export function percentile(sorted: number[], p: number): number {
  return Number(
    (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2),
  )
}

/**
 * Open loop: messages arrive at a fixed rate whether or not earlier ones were answered, spread
 * over users so each gets her five turns one second apart. Latency is from arrival to her
 * reply being written to the outbox.
 */
export async function openLoop(
  pipeline: Pipeline,
  ratePerS: number,
  seconds: number,
  prefix: string,
): Promise<OpenLoopResult> {
  const total = ratePerS * seconds
  const users = Math.max(1, Math.floor(total / SCRIPT.length))
  const latencies: number[] = []
  const pending: Promise<void>[] = []
  let lost = 0
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const started = performance.now()
  for (let i = 0; i < total; i++) {
    const due = started + (i / ratePerS) * 1000
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    const user = i % users
    const turn = Math.floor(i / users)
    const t0 = performance.now()
    pending.push(
      send(pipeline, `${prefix}-${user}`, SCRIPT[turn % SCRIPT.length]!).then((n) => {
        latencies.push(performance.now() - t0)
        if (n === 0) lost++
      }),
    )
  }
  await Promise.all(pending)
  loop.disable()
  latencies.sort((a, b) => a - b)
  return {
    offeredPerS: ratePerS,
    seconds,
    messages: total,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    lost,
    eventLoopP99Ms: Number((loop.percentile(99) / 1e6).toFixed(2)),
  }
}
