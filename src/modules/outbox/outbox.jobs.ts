import { defineJob, defineSchedule } from './job-registry.js'
import type { OutboxService } from './outbox.service.js'

export const pruneDoneJobs = defineJob<Record<string, never>, { outbox: OutboxService }>({
  name: 'jobs.prune',
  description: 'forget jobs done more than 7 days ago',
  run: (_payload, { outbox }) => outbox.prune(7),
})

export const outboxJobs = [pruneDoneJobs]
export const outboxSchedules = [defineSchedule({ job: pruneDoneJobs, daily: true })]
