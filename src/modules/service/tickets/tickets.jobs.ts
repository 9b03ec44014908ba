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

/** A reply told by SMS, email or WeChat goes out through the channels after the commit that recorded it; once per reply. */
export const sendReply = defineJob<'ticket.replied', Ctx>({
  name: 'service.sendReply', description: "send a ticket's reply to the customer through its channel (SMS, email, WeChat) and mark it sent on the timeline",
  on: 'ticket.replied',
  key: (e) => e.eventId,
  run: (e, { tickets }) => tickets.sendReply(e.eventId),
})

export const ticketsJobs = [checkSla, sendReply]
export const ticketsSchedules = [defineSchedule({ job: checkSla, everyMinutes: 1 })]
