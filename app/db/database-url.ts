import path from 'node:path'

/** Where Minka keeps its embedded database when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'file:./data/minka.db'

export type DatabaseTarget =
  { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string }

/**
 * Reads which database a URL names. Relative SQLite paths are taken from the working
 * directory, as `npm start` runs from the project's root.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget | undefined {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length)
    if (file.length === 0) return undefined
    return { provider: 'sqlite', url, file: file === ':memory:' ? file : path.resolve(file) }
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url }
  return undefined
}
