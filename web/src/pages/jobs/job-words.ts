import type { TFunction } from 'i18next'

/** A job's name in words (`jobs:names.<name>`), or the name itself for a job the console does not know. */
export const jobLabel = (t: TFunction<'jobs'>, name: string): string => {
  const text = t(`names.${name}` as 'names', { defaultValue: '' })
  return typeof text === 'string' && text !== '' ? text : name
}

/** How long the oldest due job has waited, in the largest whole unit (0: nothing waits). */
export const lagParts = (seconds: number): { unit: 'seconds' | 'minutes' | 'hours' | 'days'; count: number } | null => {
  if (seconds <= 0) return null
  if (seconds < 120) return { unit: 'seconds', count: seconds }
  if (seconds < 7200) return { unit: 'minutes', count: Math.floor(seconds / 60) }
  if (seconds < 172_800) return { unit: 'hours', count: Math.floor(seconds / 3600) }
  return { unit: 'days', count: Math.floor(seconds / 86_400) }
}
