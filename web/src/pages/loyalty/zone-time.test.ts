import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { fromZoneWallTime, nowInZone, toZoneWallTime } from './zone-time.js'

describe('times in the chain zone', () => {
  it('reads a picked wall time as Shanghai time, whatever the browser zone', () => {
    expect(fromZoneWallTime(dayjs('2026-03-02T10:00:00'), 'Asia/Shanghai')).toBe('2026-03-02T02:00:00.000Z')
    expect(fromZoneWallTime(dayjs('2026-01-01T00:00:00'), 'Asia/Shanghai')).toBe('2025-12-31T16:00:00.000Z')
  })

  it('shows an instant as its Shanghai wall time', () => {
    expect(toZoneWallTime('2026-03-02T02:00:00.000Z', 'Asia/Shanghai').format('YYYY-MM-DD HH:mm')).toBe('2026-03-02 10:00')
  })

  it('round-trips', () => {
    const iso = '2026-07-15T23:30:00.000Z'
    expect(fromZoneWallTime(toZoneWallTime(iso, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(iso)
  })

  it('gives now to the minute', () => {
    expect(nowInZone('Asia/Shanghai', new Date('2026-03-02T02:03:04.567Z')).format('YYYY-MM-DD HH:mm:ss')).toBe('2026-03-02 10:03:00')
  })
})
