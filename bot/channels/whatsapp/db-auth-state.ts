import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys'
import type { Db } from '../../../app/db/open.ts'

const CREDS = { type: 'creds', keyId: 'creds' } as const

/** Baileys' logger interface (not exported by name from the package root). */
export type BaileysLogger = NonNullable<Parameters<typeof makeCacheableSignalKeyStore>[1]>

export type DbAuthState = {
  state: AuthenticationState
  /** Persist the credentials; call on every `creds.update`. */
  saveCreds: () => Promise<void>
}

/**
 * Baileys' authentication state (credentials and signal keys) kept in ChannelAuthState rows
 * instead of the multi-file state Baileys warns against in production: a restart, or a second
 * machine on the same database, reconnects without pairing again. Shaped like
 * `useMultiFileAuthState`; values are serialised with `BufferJSON` so Buffers survive, and every
 * `keys.set` is one transaction so a crash never leaves half a key update behind.
 */
export async function useDbAuthState(
  db: Db,
  account: string,
  logger?: BaileysLogger,
): Promise<DbAuthState> {
  const stored = await db.channelAuthState.findUnique({
    where: { account_type_keyId: { account, ...CREDS } },
  })
  const creds: AuthenticationCreds = stored ? decode(stored.value) : initAuthCreds()
  const store: SignalKeyStore = {
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const rows = await db.channelAuthState.findMany({
        where: { account, type, keyId: { in: ids } },
      })
      const found: Record<string, SignalDataTypeMap[T]> = {}
      for (const row of rows) {
        let value: unknown = decode(row.value)
        // Baileys reads this one as a protobuf object, not plain JSON (as its own file store does).
        if (type === 'app-state-sync-key' && value) {
          value = proto.Message.AppStateSyncKeyData.fromObject(value as object)
        }
        found[row.keyId] = value as SignalDataTypeMap[T]
      }
      return found
    },
    set: async (data: SignalDataSet) => {
      const writes = []
      for (const [type, entries] of Object.entries(data)) {
        for (const [keyId, value] of Object.entries(entries ?? {})) {
          const where = { account_type_keyId: { account, type, keyId } }
          writes.push(
            value === null || value === undefined
              ? db.channelAuthState.deleteMany({ where: { account, type, keyId } })
              : db.channelAuthState.upsert({
                  where,
                  create: { account, type, keyId, value: encode(value) },
                  update: { value: encode(value) },
                }),
          )
        }
      }
      if (writes.length > 0) await db.$transaction(writes)
    },
    clear: async () => {
      await db.channelAuthState.deleteMany({ where: { account, type: { not: CREDS.type } } })
    },
  }
  return {
    state: { creds, keys: makeCacheableSignalKeyStore(store, logger) },
    saveCreds: async () => {
      const value = encode(creds)
      await db.channelAuthState.upsert({
        where: { account_type_keyId: { account, ...CREDS } },
        create: { account, ...CREDS, value },
        update: { value },
      })
    },
  }
}

/** Forgets the pairing of `account` (after WhatsApp logged it out): the next socket shows a QR. */
export async function clearAuthState(db: Db, account: string): Promise<void> {
  await db.channelAuthState.deleteMany({ where: { account } })
}

function encode(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer)
}

function decode<T>(value: string): T {
  return JSON.parse(value, BufferJSON.reviver) as T
}
