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
