import express, { Router, type RequestHandler } from 'express'
import type { TFunction } from 'i18next'
import QRCode from 'qrcode'
import { z } from 'zod'
import { HttpError } from '../../../app/http/http-error.ts'
import type { WhatsAppSnapshot } from './whatsapp-state.ts'

/**
 * Who may see the pairing state and QR. Whoever scans the QR takes over the ministry's number,
 * so it must never be public. 'open' is for development and tests; 'loopback' (production)
 * answers only requests from the machine itself (an SSH tunnel, or a reverse proxy on the
 * same host whose forwarded client is loopback).
 * TODO(admin auth): replace both with the staff-session check once the admin panel's login
 * lands, and render this data on the panel's channel page.
 */
export type RouteAccess = 'open' | 'loopback'

export type WhatsAppRouteSource = {
  snapshot: () => WhatsAppSnapshot
  requestPairingCode: (
    phone: string,
  ) => Promise<{ ok: true; code: string } | { ok: false; reason: 'not_pairing' | 'failed' }>
  translate: (lng: string | undefined) => TFunction
  access: RouteAccess
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

const pairingBody = z.object({
  phone: z.string().regex(/^\+?\d{8,15}$/, 'expected a phone number in international format'),
})

/** GET /api/channels/whatsapp (state, QR as a data URL) and POST …/pairing-code {phone}. */
export function whatsappRoutes(source: WhatsAppRouteSource): Router {
  const router = Router()
  const staffOnly: RequestHandler = (req, _res, next) => {
    if (source.access === 'loopback' && !LOOPBACK.has(req.ip ?? '')) {
      throw new HttpError(403, 'whatsapp.forbidden')
    }
    next()
  }
  router.get('/api/channels/whatsapp', staffOnly, async (req, res) => {
    const snapshot = source.snapshot()
    const lng = typeof req.query.lang === 'string' ? req.query.lang : undefined
    const t = source.translate(lng)
    const { qr, ...rest } =
      snapshot.status === 'pairing' ? snapshot : { ...snapshot, qr: undefined }
    res.set('Cache-Control', 'no-store').json({
      ...rest,
      ...(qr && { qrDataUrl: await QRCode.toDataURL(qr, { margin: 1, width: 264 }) }),
      message: t(`whatsapp.state.${snapshot.status}`, { ...snapshot }),
      ...(snapshot.alert && { alertMessage: t(`whatsapp.alert.${snapshot.alert.reason}`) }),
    })
  })
  router.post(
    '/api/channels/whatsapp/pairing-code',
    staffOnly,
    express.json({ limit: '2kb' }),
    async (req, res) => {
      const { phone } = pairingBody.parse(req.body)
      const result = await source.requestPairingCode(phone)
      if (!result.ok) {
        throw new HttpError(
          result.reason === 'not_pairing' ? 409 : 502,
          `whatsapp.${result.reason}`,
        )
      }
      res.set('Cache-Control', 'no-store').json({ code: result.code })
    },
  )
  return router
}
