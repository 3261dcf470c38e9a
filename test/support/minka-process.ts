import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { ROOT } from './prisma-cli.ts'

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Runs `npm start`'s entry point in a child process with exactly these variables. */
export function spawnMinka(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

/** Waits until /healthz answers 200 (up to 30 s); fails early if the process exits. */
export async function waitHealthy(port: number, child: ChildProcess): Promise<Response> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.status === 200) return res
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('no /healthz')
}

/** Starts `npm start`'s entry point and waits for /healthz; `ms` is the time that took. */
export async function startMinka(env: Record<string, string>) {
  const port = await freePort()
  const started = performance.now()
  const minka = spawnMinka({ ...env, PORT: String(port) })
  await waitHealthy(port, minka.child)
  const ms = Math.round(performance.now() - started)
  return { ...minka, port, base: `http://127.0.0.1:${port}`, ms }
}

/** SIGTERM, then waits until the process has exited. */
export async function stopMinka(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}
