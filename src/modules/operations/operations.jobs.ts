import type { AuditService } from '../audit/index.js'
import { defineJob, defineSchedule } from '../outbox/index.js'
import type { BackupsService } from './backups.service.js'

/** The daily backup (unless the chain turned backups off), or one asked for from the console. */
export const backupJob = defineJob<{ trigger?: 'manual'; by?: string }, { backups: BackupsService }>({
  name: 'operations.backup', description: 'back up the database into the data folder\'s backups/ and apply the retention (keep N daily, M weekly)',
  run: (p, { backups }) => (p.trigger === 'manual' ? backups.run('manual', p.by ?? null) : backups.runScheduled()),
})

/** Chains the audit entries written since the last run into the log's hash chain (the log is tamper-evident from then on). */
export const sealAuditLog = defineJob<Record<string, never>, { audit: AuditService }>({
  name: 'audit.seal', description: 'chain the new audit-log entries into its hash chain',
  run: (_p, { audit }) => audit.seal(),
})

export const operationsJobs = [backupJob, sealAuditLog]
export const operationsSchedules = [defineSchedule({ job: backupJob, daily: true }), defineSchedule({ job: sealAuditLog, everyMinutes: 1 })]
