import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { createBackupsService } from './backups.service.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

/** A backups service of its own data folder (the suite's other files share the context's). */
const serviceIn = (dataDir: string) => createBackupsService({ database: t.services.database, clock: t.clock, audit: t.services.audit, outbox: t.services.outbox, timezone: 'Asia/Shanghai', dataDir })

describe('the daily backup', () => {
  it('backs up, records the run, lists the backup and keeps the newest of each day and week', async () => {
    const backups = serviceIn(mkdtempSync(join(tmpdir(), 'patron-backups-')))
    await backups.updateSettings(t.actors.hq_admin, { keepDaily: 2, keepWeekly: 1 })
    // Monday to Thursday of one week (03:00 local), then Monday of the next.
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-30']) {
      t.clock.set(`${day}T00:00:00.000Z`)
      const run = await backups.runScheduled()
      expect(run).toMatchObject({ status: 'ok', trigger: 'schedule', error: null })
    }
    const status = await backups.status(t.actors.hq_admin)
    // Kept: the last two days (30th, 26th) and the newest of each of the last week (30th's week).
    expect(status.backups.map((b) => b.createdAt.slice(0, 10))).toEqual(['2026-11-30', '2026-11-26'])
    expect(status.runs[0]).toMatchObject({ status: 'ok', removed: [expect.stringContaining('20261125')] })
    expect(status.runs[0]!.bytes).toBeGreaterThan(0)
    expect(status.runs[0]!.rows).toBeGreaterThan(0)
    expect(status.runs).toHaveLength(5)
    expect(status.alert).toBeNull()
    expect(status.backups[0]).toMatchObject({ migration: expect.stringMatching(/^2026_/), bytes: expect.any(Number) })

    // A day and more without a good backup is an alert.
    t.clock.set('2026-12-01T03:00:00.000Z')
    expect((await backups.status(t.actors.hq_admin)).alert).toMatchObject({ kind: 'stale', since: '2026-11-30T00:00:00.000Z' })
    // Off: the schedule skips, and no alert.
    await backups.updateSettings(t.actors.hq_admin, { enabled: false })
    expect(await backups.runScheduled()).toEqual({ skipped: 'backups are off' })
    expect((await backups.status(t.actors.hq_admin)).alert).toBeNull()
    await backups.updateSettings(t.actors.hq_admin, { enabled: true, keepDaily: 7, keepWeekly: 4 })
  })

  it('records a failed backup with its reason, alerts, and does not throw', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patron-backups-'))
    writeFileSync(join(folder, 'backups'), 'a file where the folder should be')
    const backups = serviceIn(folder)
    t.clock.set('2026-12-02T00:00:00.000Z')
    const run = await backups.run('schedule')
    expect(run).toMatchObject({ status: 'failed', name: null })
    expect(run.error).toMatch(/ENOTDIR|EEXIST|not a directory|file already exists/i)
    expect((await backups.status(t.actors.hq_admin)).alert).toMatchObject({ kind: 'failed', since: '2026-12-02T00:00:00.000Z', error: run.error })
  })

  it('is HQ\'s: status, a backup now through the queue, settings with bad input refused and audited', async () => {
    const cookie = { cookie: await t.login(t.users.hq_admin!.username) }
    const analyst = { cookie: await t.login(t.users.analyst!.username) }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/operations/backups', headers: analyst })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/operations/backups', headers: cookie })).json()).toMatchObject({ settings: { enabled: true, keepDaily: 7, keepWeekly: 4 }, engine: t.services.engine })
    const now = await t.app.inject({ method: 'POST', url: '/api/v1/operations/backups', headers: cookie })
    expect(now.statusCode).toBe(202)
    expect(now.json()).toEqual({ queued: true })
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/operations/backups', headers: cookie })).json()).toEqual({ queued: false })
    await t.drainJobs()
    const status = (await t.app.inject({ method: 'GET', url: '/api/v1/operations/backups', headers: cookie })).json() as { runs: Array<{ trigger: string; status: string; startedBy: string }> }
    expect(status.runs[0]).toMatchObject({ trigger: 'manual', status: 'ok', startedBy: t.users.hq_admin!.username })

    for (const payload of [{ keepDaily: 0 }, { keepWeekly: -1 }, { keepDaily: 1.5 }, { enabled: 'yes' }, { other: 1 }]) {
      expect((await t.app.inject({ method: 'PUT', url: '/api/v1/operations/backups/settings', headers: cookie, payload })).statusCode, JSON.stringify(payload)).toBe(400)
    }
    await expect(t.services.backups.updateSettings(t.actors.hq_admin, { keepDaily: 400 })).rejects.toMatchObject({ status: 422, details: [{ field: 'keepDaily' }] })
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/operations/backups/settings', headers: cookie, payload: { keepDaily: 14 } })
    expect(set.json()).toEqual({ enabled: true, keepDaily: 14, keepWeekly: 4 })
    const trail = await t.services.audit.list(t.actors.hq_admin, { action: 'backup.settings.update' })
    expect(trail.items[0]).toMatchObject({ changes: { keepDaily: { from: 7, to: 14 } } })
  })
})
