import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL): `cut()` drops every connection
 * and refuses new ones, as a database that went away; `restore()` lets them through again.
 */
export class TcpProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  private down = false
  port = 0

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as { port: number }).port
    return this
  }

  /** The database is gone: open connections reset, new ones closed at once. */
  cut(): void {
    this.down = true
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  restore(): void {
    this.down = false
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  private accept(client: Socket): void {
    if (this.down) {
      client.destroy()
      return
    }
    const upstream = connect(this.targetPort, this.targetHost)
    for (const s of [client, upstream]) {
      this.sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => {
        this.sockets.delete(s)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  }
}
