import { DisconnectReason } from '@whiskeysockets/baileys'
import { afterEach, describe, expect, it } from 'vitest'
import { incoming } from '../../bot/channels/whatsapp/fake-socket.ts'
import { jid, startWhatsAppHarness, until, welcomes } from './support/whatsapp-harness.ts'

// WhatsApp going away during a burst, with each DisconnectReason: nothing lost, nothing twice,
// reconnections bounded. Simulated pacing time; a fresh bot per reason (a few seconds each).
let h: Awaited<ReturnType<typeof startWhatsAppHarness>> | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})
async function start() {
  h = await startWhatsAppHarness()
  return h
}

const RECONNECTING = [
  ['connectionClosed', DisconnectReason.connectionClosed],
  ['connectionLost', DisconnectReason.connectionLost],
  ['timedOut', DisconnectReason.timedOut],
  ['restartRequired', DisconnectReason.restartRequired],
  ['badSession', DisconnectReason.badSession],
  ['unavailableService', DisconnectReason.unavailableService],
  ['multideviceMismatch', DisconnectReason.multideviceMismatch],
  ['no reason', undefined],
] as const

describe('WhatsApp disconnects during a burst', () => {
  it.each(RECONNECTING)(
    'reason %s: reconnects with back-off, every woman answered once',
    async (_, code) => {
      const h = await start()
      h.sockets.last().open()
      const women = 8
      // half the burst arrives, then the socket drops mid-send, then the rest arrives
      for (let i = 0; i < women / 2; i++) h.sockets.last().receive([incoming({ conversation: 'Hola' }, { remoteJid: jid(i) })]) // prettier-ignore
      await h.channel.idle()
      h.sockets.last().close(code)
      expect(h.channel.snapshot().status).toBe('disconnected')
      await until(() => h.sockets.sockets.length === 2)
      h.sockets.last().open()
      for (let i = women / 2; i < women; i++) h.sockets.last().receive([incoming({ conversation: 'Hola' }, { remoteJid: jid(i) })]) // prettier-ignore
      await h.channel.idle()
      await until(async () => (await h.db.outboundMessage.count({ where: { status: { not: 'sent' } } })) === 0 && (await h.db.outboundMessage.count()) >= 2 * women) // prettier-ignore
      const texts = (i: number) => h.sockets.sockets.flatMap((s) => s.texts(jid(i)))
      for (let i = 0; i < women; i++) expect(welcomes(texts(i)), jid(i)).toBe(1)
      expect(await h.db.inboundMessage.count()).toBe(women)
      // bounded: one reconnection, after at most the policy's first back-off
      expect(h.delays).toHaveLength(1)
      expect(h.delays[0]).toBeLessThanOrEqual(4_000)
      expect(h.channel.snapshot().status).toBe('connected')
    },
  )

  it('a send that fails as the socket closes is retried, not lost and not doubled', async () => {
    const h = await start()
    h.sockets.last().open()
    const closed = Object.assign(new Error('Connection Closed'), { isBoom: true, output: { statusCode: 428 } }) // prettier-ignore
    h.sockets.last().failures.push(closed, closed)
    for (let i = 0; i < 4; i++) h.sockets.last().receive([incoming({ conversation: 'Hola' }, { remoteJid: jid(i) })]) // prettier-ignore
    await h.channel.idle()
    await until(async () => (await h.db.outboundMessage.count({ where: { status: 'sent' } })) >= 8) // prettier-ignore
    for (let i = 0; i < 4; i++) expect(welcomes(h.sockets.last().texts(jid(i)))).toBe(1)
    const rows = await h.db.outboundMessage.findMany()
    expect(Math.max(...rows.map((r) => r.attempts))).toBeLessThanOrEqual(2)
  })

  it.each([
    ['connectionReplaced', DisconnectReason.connectionReplaced, 'stopped'],
    ['forbidden', DisconnectReason.forbidden, 'stopped'],
    ['loggedOut', DisconnectReason.loggedOut, 'logged_out'],
  ] as const)(
    'reason %s: staff alerted, her replies wait queued, none lost',
    async (_, code, status) => {
      const h = await start()
      h.sockets.last().open()
      h.sockets.last().close(code)
      expect(h.channel.snapshot()).toMatchObject({ status, alert: expect.anything() })
      // a message stored meanwhile (another channel of hers, or before the close): it waits
      h.sockets.last().receive([incoming({ conversation: 'Hola' }, { remoteJid: jid(1) })])
      await h.channel.idle()
      await new Promise((r) => setTimeout(r, 100))
      const rows = await h.db.outboundMessage.findMany()
      expect(rows.every((r) => r.status === 'queued' && r.attempts === 0)).toBe(true)
    },
  )
})
