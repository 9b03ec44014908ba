import { defineJob, defineSchedule } from '../../outbox/index.js'
import type { SurveysService } from './surveys.service.js'

type Ctx = { surveys: SurveysService }

/**
 * A resolved complaint invites the member (or the anonymous customer's ticket) to every open
 * survey with the after_complaint trigger. Idempotent: one invitation per survey and ticket.
 */
export const inviteAfterComplaint = defineJob<'ticket.resolved', Ctx>({
  name: 'surveys.inviteAfterComplaint', description: 'invite the customer of a resolved complaint to the satisfaction surveys set to follow one',
  on: 'ticket.resolved',
  key: (e) => e.ticketId,
  run: (e, { surveys }) => surveys.inviteFor('after_complaint', { memberId: e.memberId, storeId: e.storeId, ref: e.ticketId, at: e.at }),
})

/** A member's first purchase invites them to the open surveys with the after_first_purchase trigger, once per survey. */
export const inviteAfterFirstPurchase = defineJob<'member.firstPurchase', Ctx>({
  name: 'surveys.inviteAfterFirstPurchase', description: "invite a member after their first purchase to the surveys set to follow one",
  on: 'member.firstPurchase',
  key: (e) => e.memberId,
  run: (e, { surveys }) => surveys.inviteFor('after_first_purchase', { memberId: e.memberId, storeId: e.storeId, ref: e.receiptId, at: e.at }),
})

/** Every minute: the invitations pending send go out by SMS through the channels, a batch a run. */
export const sendInvitations = defineJob<Record<string, never>, Ctx>({
  name: 'surveys.sendInvitations', description: 'send the survey invitations waiting to go out (by SMS through the message channels), 500 a run',
  run: (_p, { surveys }) => surveys.sendInvitations(),
})

export const feedbackJobs = [inviteAfterComplaint, inviteAfterFirstPurchase, sendInvitations]
export const feedbackSchedules = [defineSchedule({ job: sendInvitations, everyMinutes: 1 })]
