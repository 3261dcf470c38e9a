import { afterEach, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createLogger } from '../logger.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { dropDatabase } from '../../test/support/postgres.ts'
import { createHttpApp } from './server.ts'
import { healthRouter } from './health.ts'

const dbs: TestDatabase[] = []
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.cleanup().catch(() => undefined)))
})

const channels = () => ({ web: { state: 'up' as const } })

describe('GET /healthz', () => {
  it('answers 200 with the database and each channel', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const app = createHttpApp(
      [healthRouter({ db: t.db, target: t.target, channels })],
      createLogger('silent'),
    )
    const res = await request(app).get('/healthz')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { provider: 'sqlite', ok: true },
      channels: { web: { state: 'up' } },
    })
  })

  it('answers 503 with the reason when the database is gone', async () => {
    const t = await freshPostgres(2)
    dbs.push(t)
    const app = createHttpApp(
      [healthRouter({ db: t.db, target: t.target, channels })],
      createLogger('silent'),
    )
    expect((await request(app).get('/healthz')).status).toBe(200)
    const name = new URL(t.url).pathname.slice(1)
    await dropDatabase(name) // terminates our connections and removes the database
    const res = await request(app).get('/healthz')
    expect(res.status).toBe(503)
    expect(res.body.status).toBe('unavailable')
    expect(res.body.database.ok).toBe(false)
    expect(res.body.database.error).toBeTruthy()
  })

  it('has no x-powered-by header and answers unknown paths with 404 JSON', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const app = createHttpApp(
      [healthRouter({ db: t.db, target: t.target, channels })],
      createLogger('silent'),
    )
    const res = await request(app).get('/nope')
    expect(res.status).toBe(404)
    expect(res.headers['x-powered-by']).toBeUndefined()
  })
})
