import { Router } from 'express'
import type { AdminDeps } from '../admin-context.ts'
import { renderPage } from '../admin-context.ts'
import { currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { sendCsv } from '../exports/csv.ts'
import { contentOf } from '../../bot/broadcasts/broadcasts.ts'
import { optionLabel } from '../../bot/broadcasts/follow-up.ts'
import { broadcastResults, recipientResults } from '../../bot/broadcasts/results.ts'
import { loadBroadcast } from './broadcast-access.ts'

const CSV_PAGE = 1_000

/**
 * A broadcast's results: delivered, failed with the reasons, answers to the follow-up question
 * per option, opt-outs it caused; and the same per recipient as a CSV download (audited).
 */
export function resultRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()

  router.get('/broadcasts/:id/results', async (req, res) => {
    const b = await loadBroadcast(db, res, String(req.params.id))
    const results = await broadcastResults(db, b.id)
    const { followUp } = contentOf(b)
    const lng = res.locals.lng
    const answers = (followUp?.options ?? []).map((o, i) => ({
      option: String(i + 1),
      label: optionLabel(o, lng),
      count: results.answers[String(i + 1)] ?? 0,
    }))
    const answered = answers.reduce((n, a) => n + a.count, 0)
    renderPage(res, 'broadcasts/results', {
      b,
      results,
      followUp,
      answers,
      unanswered: Math.max(0, results.progress.sent - answered),
    })
  })

  router.get('/broadcasts/:id/results.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    const b = await loadBroadcast(db, res, String(req.params.id))
    const { followUp } = contentOf(b)
    const t = res.locals.t
    const label = (answer: string | null) => {
      const option = answer ? followUp?.options[Number(answer) - 1] : undefined
      return answer && option ? `${answer} = ${optionLabel(option, res.locals.lng)}` : ''
    }
    const rows: (string | Date | null)[][] = []
    // page by page in id order: the query never holds the whole list at once
    for (let after = ''; ;) {
      const page = await recipientResults(db, b.id, after, CSV_PAGE)
      for (const r of page) {
        rows.push([
          r.contactId,
          r.channel,
          r.locale,
          t(`admin.broadcasts.${r.status === 'sending' ? 'queued' : r.status}`),
          r.sentAt,
          r.error,
          label(r.answer),
          r.optedOutAfter ? t('admin.broadcasts.yes') : '',
        ])
      }
      if (page.length < CSV_PAGE) break
      after = page.at(-1)!.id
    }
    await audit(
      db,
      {
        staff,
        action: 'broadcast.export',
        entity: 'Broadcast',
        entityId: b.id,
        after: { rows: rows.length },
        ip: req.ip,
      },
      deps.now(),
    )
    const col = (k: string) => t(`broadcasts.admin.csv.${k}`)
    sendCsv(res, `broadcast-${b.id.slice(0, 8)}.csv`, {
      header: [
        col('contact'),
        col('channel'),
        col('language'),
        col('status'),
        col('sent_at'),
        col('error'),
        col('answer'),
        col('opted_out_after'),
      ],
      rows,
    })
  })
  return router
}
