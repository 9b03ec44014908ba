import { defineJob, defineSchedule } from '../../outbox/index.js'
import { ADVANCE_JOB } from './journey-engine.js'
import type { JourneysService } from './journeys.service.js'

type Ctx = { journeys: JourneysService }

/** Every enrolment due now moves on (each step once); queued for the minute a wait ends, and every minute besides. */
export const advanceJourneys = defineJob<Record<string, never>, Ctx>({
  name: ADVANCE_JOB, description: 'move the members inside the journeys on: the steps due now (waits ended, messages, coupons, tags)',
  run: (_p, { journeys }) => journeys.advanceDue(),
})

// Event triggers: each enrols the member into the active journeys of its trigger (idempotent:
// one enrolment per journey, member and occurrence) and takes the first steps at once.
export const enrolRegistered = defineJob<'member.registered', Ctx>({
  name: 'journeys.enrolRegistered', description: 'put a newly registered member into the journeys that start at registration',
  on: 'member.registered',
  when: (e) => e.channel !== 'import',
  key: (e) => e.memberId,
  run: (e, { journeys }) => journeys.onRegistered(e),
})

export const enrolFirstPurchase = defineJob<'member.firstPurchase', Ctx>({
  name: 'journeys.enrolFirstPurchase', description: "put a member into the journeys that start at the first purchase",
  on: 'member.firstPurchase',
  key: (e) => e.memberId,
  run: (e, { journeys }) => journeys.onFirstPurchase(e),
})

export const enrolTierUpgrade = defineJob<'tier.changed', Ctx>({
  name: 'journeys.enrolTierUpgrade', description: 'put an upgraded member into the journeys that start at a tier upgrade',
  on: 'tier.changed',
  when: (e) => e.reason === 'upgrade' || e.reason === 'manual',
  key: (e) => `${e.memberId}:${e.to}:${e.at}`,
  run: (e, { journeys }) => journeys.onTierChanged(e),
})

// Daily triggers.
export const enrolBirthdays = defineJob<Record<string, never>, Ctx>({
  name: 'journeys.enrolBirthdays', description: 'put members whose birthday is near into the birthday journeys',
  run: (_p, { journeys }) => journeys.enrolBirthdays(),
})

export const enrolPointsExpiring = defineJob<Record<string, never>, Ctx>({
  name: 'journeys.enrolPointsExpiring', description: 'put members whose points expire soon into the points journeys',
  run: (_p, { journeys }) => journeys.enrolPointsExpiring(),
})

export const enrolDates = defineJob<Record<string, never>, Ctx>({
  name: 'journeys.enrolDates', description: "put members into the journeys whose date is today",
  run: (_p, { journeys }) => journeys.enrolDates(),
})

export const enrolLifecycle = defineJob<Record<string, never>, Ctx>({
  name: 'journeys.enrolLifecycle', description: 'put members who entered a lifecycle stage into its journeys',
  run: (_p, { journeys }) => journeys.enrolLifecycle(),
})

export const enrolTagged = defineJob<Record<string, never>, Ctx>({
  name: 'journeys.enrolTagged', description: 'put members given a tag into the journeys that start with it',
  run: (_p, { journeys }) => journeys.enrolTagged(),
})

export const journeysJobs = [advanceJourneys, enrolRegistered, enrolFirstPurchase, enrolTierUpgrade, enrolBirthdays, enrolPointsExpiring, enrolDates, enrolLifecycle, enrolTagged]
export const journeysSchedules = [
  defineSchedule({ job: advanceJourneys, everyMinutes: 1 }),
  defineSchedule({ job: enrolTagged, everyMinutes: 5 }),
  ...[enrolBirthdays, enrolPointsExpiring, enrolDates, enrolLifecycle].map((job) => defineSchedule({ job, daily: true })),
]
