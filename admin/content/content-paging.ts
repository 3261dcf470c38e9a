import { z } from 'zod'
import { queryString } from '../cases/case-routes.ts'

export const PAGE_SIZE = 50

export const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1).default(1)

/** A filter text from the query string: trimmed, bounded, absent when empty. */
export const searchSchema = z
  .string()
  .trim()
  .max(200)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined)

/** Lower case without accents, so «Cooperativa» and «cooperativá» both find «cooperativa». */
export function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
}

/** Whether any of the texts contains the search words, all of them. */
export function matchesSearch(q: string | undefined, ...texts: (string | null)[]): boolean {
  if (!q) return true
  const haystack = folded(texts.filter(Boolean).join(' \u0000 '))
  return folded(q)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

export type Page<T> = { rows: T[]; prevUrl?: string | undefined; nextUrl?: string | undefined }

/**
 * One page of an in-memory list. The content tables (FAQ, facts, requirements, translation
 * keys) hold hundreds of rows, so they are filtered in memory, accent-blind, the same on
 * SQLite and PostgreSQL.
 */
export function pageOf<T>(
  all: readonly T[],
  page: number,
  path: string,
  params: Record<string, string | undefined>,
): Page<T> {
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
  const url = (p: number) => `${path}${queryString({ ...params, page: String(p) })}`
  return {
    rows,
    prevUrl: page > 1 ? url(page - 1) : undefined,
    nextUrl: all.length > page * PAGE_SIZE ? url(page + 1) : undefined,
  }
}
