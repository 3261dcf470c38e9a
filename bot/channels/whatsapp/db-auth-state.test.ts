import { initAuthCreds, proto } from '@whiskeysockets/baileys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freshSqlite, type TestDatabase } from '../../../test/support/test-db.ts'
import { clearAuthState, useDbAuthState } from './db-auth-state.ts'

let database: TestDatabase

beforeEach(async () => {
  database = await freshSqlite()
})
afterEach(async () => {
  await database.cleanup()
})

describe('useDbAuthState', () => {
  it('starts with fresh credentials when nothing is stored', async () => {
    const { state } = await useDbAuthState(database.db, 'default')
    expect(state.creds.registered).toBe(false)
    expect(Buffer.isBuffer(state.creds.noiseKey.private)).toBe(true)
  })

  it('reads back credentials and keys identical, Buffers included, after a restart', async () => {
    const first = await useDbAuthState(database.db, 'default')
    Object.assign(first.state.creds, {
      registered: true,
      me: { id: '59170000000:3@s.whatsapp.net' },
    })
    await first.saveCreds()
    const session = Buffer.from([1, 2, 3, 250])
    const preKey = { public: Buffer.from('pub'), private: Buffer.from('priv') }
    const syncKey = { keyData: Buffer.from('sync'), timestamp: 42 }
    await first.state.keys.set({
      session: { '591700@s.whatsapp.net.0': session },
      'pre-key': { '1': preKey, '2': preKey },
      'app-state-sync-key': { AAA: syncKey },
    })

    // A new process: nothing cached, everything from the database.
    const second = await useDbAuthState(database.db, 'default')
    expect(second.state.creds).toEqual(first.state.creds)
    expect(Buffer.isBuffer(second.state.creds.signedIdentityKey.public)).toBe(true)
    const sessions = await second.state.keys.get('session', ['591700@s.whatsapp.net.0', 'none'])
    expect(sessions).toEqual({ '591700@s.whatsapp.net.0': session })
    expect(Buffer.isBuffer(sessions['591700@s.whatsapp.net.0'])).toBe(true)
    expect(await second.state.keys.get('pre-key', ['1', '2'])).toEqual({ '1': preKey, '2': preKey })
    const sync = await second.state.keys.get('app-state-sync-key', ['AAA'])
    expect(sync.AAA).toBeInstanceOf(proto.Message.AppStateSyncKeyData)
    expect(Buffer.from(sync.AAA!.keyData!)).toEqual(syncKey.keyData)
  })

  it('deletes a key set to null, and keeps accounts apart', async () => {
    const a = await useDbAuthState(database.db, 'a')
    const b = await useDbAuthState(database.db, 'b')
    await a.state.keys.set({ session: { x: Buffer.from('a') } })
    await b.state.keys.set({ session: { x: Buffer.from('b') } })
    await a.state.keys.set({ session: { x: null } })
    const fresh = await useDbAuthState(database.db, 'a')
    expect(await fresh.state.keys.get('session', ['x'])).toEqual({})
    const other = await useDbAuthState(database.db, 'b')
    expect(await other.state.keys.get('session', ['x'])).toEqual({ x: Buffer.from('b') })
  })

  it('clearAuthState wipes the pairing so the next start pairs again', async () => {
    const a = await useDbAuthState(database.db, 'default')
    Object.assign(a.state.creds, { registered: true })
    await a.saveCreds()
    await a.state.keys.set({ session: { x: Buffer.from('s') } })
    await clearAuthState(database.db, 'default')
    expect(await database.db.channelAuthState.count()).toBe(0)
    const after = await useDbAuthState(database.db, 'default')
    expect(after.state.creds.registered).toBe(false)
    expect(after.state.creds.noiseKey).not.toEqual(initAuthCreds().noiseKey)
  })
})
