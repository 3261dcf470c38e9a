import express, { Router } from 'express'
import type { TFunction } from 'i18next'
import QRCode from 'qrcode'
import { z } from 'zod'
import { HttpError } from '../../../app/http/http-error.ts'
import type { WhatsAppSnapshot } from './whatsapp-state.ts'

export type WhatsAppRouteSource = {
  snapshot: () => WhatsAppSnapshot
  requestPairingCode: (
    phone: string,
  ) => Promise<{ ok: true; code: string } | { ok: false; reason: 'not_pairing' | 'failed' }>
  translate: (lng: string | undefined) => TFunction
}

const pairingBody = z.object({
  phone: z.string().regex(/^\+?\d{8,15}$/, 'expected a phone number in international format'),
})

/**
 * GET /channels/whatsapp (state, QR as a data URL) and POST …/pairing-code {phone}. Whoever
 * scans the QR takes over the ministry's number, so these are staff routes: the admin panel
 * mounts them under /admin, behind its sign-in, for admins only (app/start-minka.ts).
 */
export function whatsappRoutes(source: WhatsAppRouteSource): Router {
  const router = Router()
  router.get('/channels/whatsapp', async (req, res) => {
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
    '/channels/whatsapp/pairing-code',
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
