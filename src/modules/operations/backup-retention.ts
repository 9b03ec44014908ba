import { TZDate } from '@date-fns/tz'
import { getISOWeek, getISOWeekYear } from 'date-fns'

// Which backups the daily run keeps: the newest of each of the last `keepDaily` local days that
// have a backup, and the newest of each of the last `keepWeekly` ISO weeks that have one (a
// backup may be both); the rest are removed. Pure: the service lists the folders and deletes.

export interface RetentionPolicy {
  keepDaily: number
  keepWeekly: number
  timezone: string
}

export interface BackupStamp {
  name: string
  createdAt: string
}

const localDay = (iso: string, tz: string): string => {
  const d = new TZDate(new Date(iso).getTime(), tz)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

const localWeek = (iso: string, tz: string): string => {
  const d = new TZDate(new Date(iso).getTime(), tz)
  return `${getISOWeekYear(d)}-W${String(getISOWeek(d)).padStart(2, '0')}`
}

/** The newest backup of each of the newest `keep` periods (by `periodOf`). */
const newestPerPeriod = (sorted: readonly BackupStamp[], keep: number, periodOf: (b: BackupStamp) => string): Set<string> => {
  const kept = new Set<string>()
  const seen = new Set<string>()
  for (const b of sorted) {
    const p = periodOf(b)
    if (seen.has(p)) continue
    if (seen.size >= keep) break
    seen.add(p)
    kept.add(b.name)
  }
  return kept
}

/** The names to remove under the policy (never the newest backup). */
export const backupsToRemove = (backups: readonly BackupStamp[], policy: RetentionPolicy): string[] => {
  const sorted = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name))
  const keep = new Set([
    ...newestPerPeriod(sorted, Math.max(1, policy.keepDaily), (b) => localDay(b.createdAt, policy.timezone)),
    ...newestPerPeriod(sorted, policy.keepWeekly, (b) => localWeek(b.createdAt, policy.timezone)),
  ])
  return sorted.filter((b) => !keep.has(b.name)).map((b) => b.name)
}
