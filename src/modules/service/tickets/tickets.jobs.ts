import { defineJob, defineSchedule } from '../../outbox/index.js'
import type { TicketsService } from './tickets.service.js'

type Ctx = { tickets: TicketsService }

/**
 * Every minute: reminders before deadlines and escalations of breached ones. Each happens once
 * (a conditional update guards it), so a second run in the same minute, a retry or a late run
 * after downtime repeats nothing and misses nothing.
 */
export const checkSla = defineJob<Record<string, never>, Ctx>({
  name: 'service.checkSla', description: 'remind before ticket deadlines and escalate breached ones (one level per deadline)',
  run: (_p, { tickets }) => tickets.checkSla(),
})

export const ticketsJobs = [checkSla]
export const ticketsSchedules = [defineSchedule({ job: checkSla, everyMinutes: 1 })]
