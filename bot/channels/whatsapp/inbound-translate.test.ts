import { Readable } from 'node:stream'
import { proto, type WAMessage } from '@whiskeysockets/baileys'
import { describe, expect, it, vi } from 'vitest'
import { incoming } from './fake-socket.ts'
import { isFromHer, translateInbound, type InboundTranslateDeps } from './inbound-translate.ts'

function deps(over: Partial<InboundTranslateDeps> = {}): InboundTranslateDeps {
  return {
    maxBytes: 1_000,
    download: async () => Readable.from([Buffer.from('OggS'), Buffer.from('-voice')]),
    save: async (bytes) => ({ ok: true, ref: '2026-03/voice.ogg', size: bytes.byteLength }),
    now: () => new Date('2026-03-02T18:00:00Z'),
    ...over,
  }
}

const translate = (m: WAMessage, d = deps()) => translateInbound(m, d)

describe('isFromHer', () => {
  it('takes only live messages from a person', () => {
    expect(isFromHer('notify', incoming({ conversation: 'hola' }))).toBe(true)
    expect(isFromHer('append', incoming({ conversation: 'hola' }))).toBe(false)
    expect(isFromHer('notify', incoming({ conversation: 'x' }, { fromMe: true }))).toBe(false)
    for (const remoteJid of [
      '120363000000000000@g.us',
      'status@broadcast',
      '1690000000@broadcast',
      '120363000000000000@newsletter',
    ]) {
      expect(isFromHer('notify', incoming({ conversation: 'x' }, { remoteJid })), remoteJid).toBe(
        false,
      )
    }
  })
})

describe('translateInbound', () => {
  it('reads a plain text with her phone and name', async () => {
    const m = incoming({ conversation: 'Hola' }, { id: 'ABC' })
    expect(await translate(m)).toEqual({
      channel: 'whatsapp',
      channelUserId: '59171234567@s.whatsapp.net',
      platformMessageId: 'ABC',
      text: 'Hola',
      phone: '+59171234567',
      displayName: 'Juana',
      receivedAt: new Date(1_772_474_400_000),
    })
  })

  it.each<[string, proto.IMessage]>([
    ['extended text', { extendedTextMessage: { text: 'dos' } }],
    ['disappearing', { ephemeralMessage: { message: { conversation: 'dos' } } }],
    ['view once', { viewOnceMessageV2: { message: { extendedTextMessage: { text: 'dos' } } } }],
    [
      'an edit',
      {
        protocolMessage: {
          type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
          editedMessage: { conversation: 'dos' },
        },
      },
    ],
    ['a button reply', { buttonsResponseMessage: { selectedDisplayText: 'dos' } }],
    ['a list reply', { listResponseMessage: { title: 'dos' } }],
  ])('unwraps %s', async (_name, content) => {
    expect((await translate(incoming(content)))?.text).toBe('dos')
  })

  it('ignores what carries nothing to answer', async () => {
    expect(await translate(incoming({ reactionMessage: { text: '👍' } }))).toBeNull()
    const revoke = { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE } }
    expect(await translate(incoming(revoke))).toBeNull()
  })

  it('maps a LID sender to her phone jid when the key carries it', async () => {
    const lid = incoming(
      { conversation: 'hola' },
      { remoteJid: '123456789012345@lid', remoteJidAlt: '59171234567@s.whatsapp.net' },
    )
    expect(await translate(lid)).toMatchObject({
      channelUserId: '59171234567@s.whatsapp.net',
      phone: '+59171234567',
    })
  })

  it("asks Baileys' LID mapping when the key does not carry her phone", async () => {
    const phoneForLid = vi.fn(async () => '59171234567:3@s.whatsapp.net')
    const lid = incoming({ conversation: 'hola' }, { remoteJid: '123456789012345@lid' })
    expect(await translate(lid, deps({ phoneForLid }))).toMatchObject({
      channelUserId: '59171234567@s.whatsapp.net',
      phone: '+59171234567',
    })
    expect(phoneForLid).toHaveBeenCalledWith('123456789012345@lid')
    const unknown = await translate(lid, deps({ phoneForLid: async () => null }))
    expect(unknown).toMatchObject({ channelUserId: '123456789012345@lid' })
    expect(unknown?.phone).toBeUndefined()
  })

  it('downloads a voice note into attachment storage', async () => {
    const save = vi.fn(deps().save)
    const voice = incoming({
      audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', fileLength: 10, seconds: 3 },
    })
    expect((await translate(voice, deps({ save })))?.media).toEqual({
      kind: 'audio',
      ref: '2026-03/voice.ogg',
      mime: 'audio/ogg; codecs=opus',
      size: 10,
    })
    expect(save).toHaveBeenCalledWith(Buffer.from('OggS-voice'), 'audio/ogg; codecs=opus')
  })

  it('keeps the caption of a photo as her text', async () => {
    const photo = incoming({ imageMessage: { caption: 'mi acta', mimetype: 'image/jpeg' } })
    expect(await translate(photo)).toMatchObject({
      text: 'mi acta',
      media: { kind: 'image', mime: 'image/jpeg' },
    })
  })

  it('refuses a file declared too large without downloading it', async () => {
    const download = vi.fn(deps().download)
    const doc = incoming({ documentMessage: { fileLength: 5_000, mimetype: 'application/pdf' } })
    const out = await translate(doc, deps({ download }))
    expect(out?.media).toMatchObject({ kind: 'document', rejected: 'too_large' })
    expect(download).not.toHaveBeenCalled()
  })

  it('stops reading a file that turns out larger than declared', async () => {
    const big = async () => Readable.from([Buffer.alloc(600), Buffer.alloc(600)])
    const out = await translate(
      incoming({ imageMessage: { fileLength: 10 } }),
      deps({ download: big }),
    )
    expect(out?.media).toMatchObject({ kind: 'image', rejected: 'too_large' })
  })

  it('says a file is unavailable when it cannot be downloaded or kept', async () => {
    const failing = deps({
      download: async () => {
        throw new Error('media expired')
      },
    })
    const voice = incoming({ audioMessage: { ptt: true } })
    expect((await translate(voice, failing))?.media).toMatchObject({ rejected: 'unavailable' })
    const full = deps({ save: async () => ({ ok: false, reason: 'write_failed' }) })
    expect((await translate(voice, full))?.media).toMatchObject({ rejected: 'unavailable' })
  })

  it('passes stickers, locations and contacts on without downloading', async () => {
    const download = vi.fn(deps().download)
    const d = deps({ download })
    const sticker = incoming({ stickerMessage: {} }, { id: 'S1' })
    expect((await translate(sticker, d))?.media).toEqual({ kind: 'sticker', ref: 'S1' })
    const place = incoming({ locationMessage: { degreesLatitude: -16.5 } }, { id: 'L1' })
    expect((await translate(place, d))?.media).toEqual({ kind: 'other', ref: 'L1' })
    const card = incoming({ contactMessage: { displayName: 'Ana' } }, { id: 'C1' })
    expect((await translate(card, d))?.media).toEqual({ kind: 'other', ref: 'C1' })
    expect(download).not.toHaveBeenCalled()
  })
})
