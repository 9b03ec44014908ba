import type { JobDefinition, ScheduleDefinition } from '../../outbox/index.js'

export const feedbackJobs: JobDefinition<any, any>[] = []
export const feedbackSchedules: ScheduleDefinition[] = []
