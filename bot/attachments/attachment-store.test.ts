import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AttachmentStore } from './attachment-store.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function store(max = 1024) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-att-'))
  dirs.push(dir)
  return new AttachmentStore(dir, max)
}

describe('AttachmentStore', () => {
  it('saves and reads back a file under a random key with the right extension', async () => {
    const s = store()
    const saved = await s.save(
      Buffer.from('OggS voice'),
      'audio/ogg; codecs=opus',
      new Date('2026-03-02T00:00:00Z'),
    )
    expect(saved.ok).toBe(true)
    if (!saved.ok) return
    expect(saved.ref).toMatch(/^2026-03\/[0-9a-f-]{36}\.ogg$/)
    expect(saved.size).toBe(10)
    expect((await s.read(saved.ref)).toString()).toBe('OggS voice')
  })

  it('refuses a file over the limit and writes nothing', async () => {
    const s = store(4)
    expect(await s.save(Buffer.alloc(5), 'image/jpeg')).toEqual({ ok: false, reason: 'too_large' })
  })

  it('reports a failed write instead of throwing', async () => {
    const s = store()
    chmodSync(s.dir, 0o500)
    const saved = await s.save(Buffer.from('x'), 'image/png')
    chmodSync(s.dir, 0o700)
    // root ignores permissions: then the write simply succeeds
    if (process.getuid?.() !== 0) expect(saved).toMatchObject({ ok: false, reason: 'write_failed' })
    else expect(saved.ok).toBe(true)
  })

  it('never resolves a key outside its folder', () => {
    expect(() => store().pathOf('../../etc/passwd')).toThrow('invalid attachment ref')
  })
})
