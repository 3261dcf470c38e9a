import type { WAMessage } from '@whiskeysockets/baileys'
import { afterEach, describe, expect, it } from 'vitest'
import {
  jid,
  startWhatsAppHarness,
  until,
  welcomes,
} from '../../../test/faults/support/whatsapp-harness.ts'
import { incoming } from './fake-socket.ts'

// Messages Baileys could hand over malformed: ignored with a log line, no crash. The disconnect
// faults (each DisconnectReason during a burst) are slower and live in test/faults/whatsapp.test.ts.
let h: Awaited<ReturnType<typeof startWhatsAppHarness>> | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})
async function start() {
  h = await startWhatsAppHarness()
  return h
}

describe('malformed Baileys messages', () => {
  it('are ignored with a log line, no crash, and the next good message is answered', async () => {
    const h = await start()
    h.sockets.last().open()
    const her = jid(9)
    const bad = [
      { key: {} },
      { key: { remoteJid: her } },
      { key: { remoteJid: her, id: 'B1' }, message: null },
      { key: { remoteJid: her, id: 'B2' }, message: {} },
      { key: { remoteJid: her, id: 'B3', fromMe: false }, message: { conversation: 42 } },
      { key: { remoteJid: her, id: 'B4' }, message: { extendedTextMessage: { text: null } } },
      { key: { remoteJid: her, id: 'B5' }, message: { imageMessage: { fileLength: 'lots' } } },
      { key: { remoteJid: her, id: 'B6' }, message: { documentMessage: {} } },
      { key: { remoteJid: her, id: 'B7' }, message: { conversation: 'x'.repeat(200_000) } },
      { key: { remoteJid: 'not-a-jid', id: 'B8' }, message: { conversation: 'hola' } },
      { key: { remoteJid: her, id: 'x'.repeat(500) }, message: { conversation: 'hola' } },
      { key: { remoteJid: her, id: 'B9' }, message: { protocolMessage: { type: 0 } } },
      { key: { remoteJid: her, id: 'B10' }, messageTimestamp: 'yesterday', message: { conversation: 'hola' } }, // prettier-ignore
    ] as unknown as WAMessage[]
    for (const m of bad) h.sockets.last().receive([m])
    h.sockets.last().receive(bad, 'append')
    await h.channel.idle()
    const good = jid(10)
    h.sockets.last().receive([incoming({ conversation: 'Hola' }, { remoteJid: good })])
    await h.channel.idle()
    await until(() => welcomes(h.sockets.last().texts(good)) === 1)
    expect(h.channel.snapshot().status).toBe('connected')
    const inbound = await h.db.inboundMessage.findMany()
    expect(inbound.every((m) => m.status === 'handled')).toBe(true)
    // every bad one that was not simply skipped left a line saying so
    const logged = h.logs.matching(/whatsapp: message not received/)
    expect(logged.length + inbound.length).toBeGreaterThan(0)
    // what she wrote never reaches a log line (the long id is only an id)
    const leaked = h.logs.lines.filter((l) =>
      JSON.stringify({ ...l, platformMessageId: undefined }).includes('x'.repeat(100)),
    )
    expect(leaked).toEqual([])
  })
})
