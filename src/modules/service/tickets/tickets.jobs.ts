import type { JobDefinition, ScheduleDefinition } from '../../outbox/index.js'

export const ticketsJobs: JobDefinition<any, any>[] = []
export const ticketsSchedules: ScheduleDefinition[] = []
