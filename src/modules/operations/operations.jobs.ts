import { defineJob, defineSchedule } from '../outbox/index.js'
import type { BackupsService } from './backups.service.js'

/** The daily backup (unless the chain turned backups off), or one asked for from the console. */
export const backupJob = defineJob<{ trigger?: 'manual'; by?: string }, { backups: BackupsService }>({
  name: 'operations.backup', description: 'back up the database into the data folder\'s backups/ and apply the retention (keep N daily, M weekly)',
  run: (p, { backups }) => (p.trigger === 'manual' ? backups.run('manual', p.by ?? null) : backups.runScheduled()),
})

export const operationsJobs = [backupJob]
export const operationsSchedules = [defineSchedule({ job: backupJob, daily: true })]
