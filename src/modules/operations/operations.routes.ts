import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { errors } from '../../shared/http/schemas.js'
import type { BackupsService } from './backups.service.js'
import { BackupSettingsBody, BackupSettingsSchema, BackupsStatusSchema } from './operations.schemas.js'

export const operationsRoutes = (app: TypedApp, { backups }: { backups: BackupsService }) => {
  const tags = ['operations']

  app.get('/operations/backups', {
    schema: { tags, summary: 'Backups: the settings, the last runs, the backup folders present, and an alert when the last run failed or none succeeded for a day', response: { 200: BackupsStatusSchema, ...errors(401, 403) } },
    config: { permission: 'jobs.manage' },
  }, async (req) => backups.status(actorOf(req)))

  app.post('/operations/backups', {
    schema: { tags, summary: 'Back up now: queued for the worker (one a minute however often asked)', response: { 202: Type.Object({ queued: Type.Boolean() }), ...errors(401, 403) } },
    config: { permission: 'jobs.manage' },
  }, async (req, reply) => reply.code(202).send(await backups.requestNow(actorOf(req))))

  app.put('/operations/backups/settings', {
    schema: { tags, summary: 'Turn the daily backup on or off and set its retention (HQ administrators); audited', body: BackupSettingsBody, response: { 200: BackupSettingsSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'chain.manage' },
  }, async (req) => backups.updateSettings(actorOf(req), req.body))
}
