import { defineJob, defineSchedule } from '../../outbox/index.js'
import type { ChannelsService } from './channels.service.js'

type Ctx = { channels: ChannelsService }

/** Queued messages (a provider's timeout, 5xx or rate limit) tried again with backoff, then failed for good. */
export const retryMessages = defineJob<Record<string, never>, Ctx>({
  name: 'marketing.retryMessages', description: 'try again the messages a provider failed to take (backoff from 60 s, at most 5 attempts, then failed)',
  run: (_p, { channels }) => channels.retryDue(),
})

export const channelsJobs = [retryMessages]
export const channelsSchedules = [defineSchedule({ job: retryMessages, everyMinutes: 1 })]
