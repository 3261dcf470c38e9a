import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Response, Router } from 'express'
import { Eta } from 'eta'
import type { i18n, TFunction } from 'i18next'
import { z } from 'zod'
import type { Db } from '../app/db/open.ts'
import type { ChannelHealth } from '../app/http/health.ts'
import type { Logger } from '../app/logger.ts'

export const ADMIN_DIR = path.dirname(fileURLToPath(import.meta.url))

export const roleSchema = z.enum(['admin', 'agent', 'viewer'])
export type Role = z.infer<typeof roleSchema>
export const adminLocaleSchema = z.enum(['es', 'en'])

/** The signed-in staff member, loaded from the database on every request. */
export type CurrentStaff = {
  id: string
  email: string
  name: string
  role: Role
  locale: 'es' | 'en'
  regionIds: string[]
  mustChangePassword: boolean
}

export type LoginLimits = {
  windowMs: number
  /** Failed attempts from one IP address per window. */
  perIp: number
  /** Failed attempts against one account per window (any IP). */
  perAccount: number
  /** Consecutive failures that lock the account (Staff.lockedUntil). */
  lockAfter: number
  lockMinutes: number
}

/** What the admin panel needs from the rest of Minka. */
export type AdminDeps = {
  db: Db
  i18n: i18n
  logger: Logger
  /** Nudges the outbox dispatcher so a reply goes out at once. */
  wakeDispatcher: () => void
  channelHealth: () => Record<string, ChannelHealth>
  /** Channels' staff routes (WhatsApp pairing), served under /admin for admins only. */
  channelStaffRoutes?: Router[]
  attachments: { read: (ref: string) => Promise<Buffer> }
  /** Without one, a random secret per process: sessions end at restart (one process only). */
  sessionSecret?: string | undefined
  sessionIdleMinutes: number
  loginLimits?: Partial<LoginLimits>
  now?: () => Date
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express' own augmentation point
  namespace Express {
    interface Locals {
      staff?: CurrentStaff
      t: TFunction
      lng: 'es' | 'en'
      csrf: string
    }
  }
}

const eta = new Eta({
  views: path.join(ADMIN_DIR, 'views'),
  autoEscape: true,
  cache: process.env.NODE_ENV === 'production',
})

/**
 * Renders a page with the layout's data (translator, staff, CSRF token). Eta escapes every
 * `<%= %>`: what a beneficiary wrote reaches staff only as text.
 */
export function renderPage(
  res: Response,
  view: string,
  data: Record<string, unknown> = {},
  status = 200,
): void {
  const { t, staff, lng, csrf } = res.locals
  const html = eta.render(view, { t, staff, lng, csrf, fmt: formatters(lng), ...data })
  res.status(status).type('html').send(html)
}

/** Date and duration formatting for templates, in the staff member's language. */
export function formatters(lng: string) {
  const locale = lng === 'en' ? 'en-GB' : 'es-BO'
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  return {
    date: (d: Date | null | undefined) => (d ? dateTime.format(d) : ''),
    iso: (d: Date | null | undefined) => (d ? d.toISOString() : ''),
    /** A compact duration like "3 h 20 min" or "2 d 4 h". */
    duration: (ms: number) => {
      const m = Math.max(0, Math.floor(ms / 60_000))
      if (m < 60) return `${m} min`
      const h = Math.floor(m / 60)
      if (h < 48) return `${h} h ${m % 60} min`
      return `${Math.floor(h / 24)} d ${h % 24} h`
    },
  }
}
