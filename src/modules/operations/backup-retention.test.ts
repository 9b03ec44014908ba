import { describe, expect, it } from 'vitest'
import { backupsToRemove } from './backup-retention.js'

// Backups at 03:00 Shanghai (19:00 UTC the day before) every day of November 2026, and a second
// one on 30 November at 15:00 local.
const daily = Array.from({ length: 30 }, (_, i) => ({
  name: `b-11-${String(i + 1).padStart(2, '0')}`,
  createdAt: new Date(Date.UTC(2026, 10, i, 19)).toISOString(), // 03:00 local on day i + 1
}))
const all = [...daily, { name: 'b-11-30-afternoon', createdAt: '2026-11-30T07:00:00.000Z' }]
const kept = (removed: string[]) => all.map((b) => b.name).filter((n) => !removed.includes(n)).sort()

describe('backup retention', () => {
  it('keeps the newest of each of the last N days and of the last M ISO weeks (Shanghai time)', () => {
    const removed = backupsToRemove(all, { keepDaily: 7, keepWeekly: 4, timezone: 'Asia/Shanghai' })
    // Days 24–30 (the 30th's afternoon backup, not its morning one); weeks: 30 Nov (W49) is the
    // afternoon one, W48 (23–29) its 29th, W47 (16–22) the 22nd, W46 (9–15) the 15th.
    expect(kept(removed)).toEqual(['b-11-15', 'b-11-22', 'b-11-24', 'b-11-25', 'b-11-26', 'b-11-27', 'b-11-28', 'b-11-29', 'b-11-30-afternoon'])
  })

  it('counts a backup at 01:00 Shanghai on its local day, not the UTC one', () => {
    const late = [{ name: 'mon-0100', createdAt: '2026-11-29T17:00:00.000Z' }, { name: 'sun-2300', createdAt: '2026-11-29T15:00:00.000Z' }]
    expect(backupsToRemove(late, { keepDaily: 2, keepWeekly: 0, timezone: 'Asia/Shanghai' })).toEqual([])
    expect(backupsToRemove(late, { keepDaily: 1, keepWeekly: 1, timezone: 'Asia/Shanghai' })).toEqual(['sun-2300'])
    // In UTC both are on the 29th: one day, the newer kept.
    expect(backupsToRemove(late, { keepDaily: 2, keepWeekly: 0, timezone: 'UTC' })).toEqual(['sun-2300'])
  })

  it('never removes the newest, and keeps everything it is asked to', () => {
    expect(backupsToRemove(all, { keepDaily: 0, keepWeekly: 0, timezone: 'Asia/Shanghai' })).toHaveLength(all.length - 1)
    expect(backupsToRemove(all, { keepDaily: 60, keepWeekly: 0, timezone: 'Asia/Shanghai' })).toEqual(['b-11-30'])
    expect(backupsToRemove([], { keepDaily: 7, keepWeekly: 4, timezone: 'Asia/Shanghai' })).toEqual([])
  })
})
