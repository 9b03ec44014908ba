import { defineJob } from '../../outbox/index.js'
import { SEND_JOB, START_JOB, type CampaignsService } from './campaigns.service.js'

type Ctx = { campaigns: CampaignsService }

/** A campaign's due time: the run prepared (audience, holdouts, targets) in one transaction; a repeat finds the run. */
export const startCampaign = defineJob<{ campaignId: string; dueAt: string }, Ctx>({
  name: START_JOB, description: "start a campaign's run at its due time: find the audience, draw the holdout, queue the messages",
  run: (p, { campaigns }) => campaigns.startDue(p),
})

/** One minute of a run's messages at the campaign's rate; queues the next minute's until none wait. */
export const sendCampaign = defineJob<{ runId: string }, Ctx>({
  name: SEND_JOB, description: "send the next minute's messages of a campaign's run (rate, caps, quiet hours, consent)",
  maxAttempts: 10,
  run: (p, { campaigns }) => campaigns.sendBatch(p),
})

export const campaignsJobs = [startCampaign, sendCampaign]
