import dayjs, { type Dayjs } from 'dayjs'
import '../../format.js'

// Date pickers show the browser's wall clock; rules and baskets are in the chain's zone. A
// picked value is read as a wall time in that zone, whatever zone the browser is in.

const WALL = 'YYYY-MM-DDTHH:mm:ss'

/** An instant as the picker value that shows its wall time in `tz`. */
export const toZoneWallTime = (iso: string, tz: string): Dayjs => dayjs(dayjs(iso).tz(tz).format(WALL))

/** A picker value, read as a wall time in `tz`, as an ISO-8601 UTC instant. */
export const fromZoneWallTime = (value: Dayjs, tz: string): string => dayjs.tz(value.format(WALL), tz).toISOString()

/** The current time in `tz` as a picker value, to the minute. */
export const nowInZone = (tz: string, now = new Date()): Dayjs => toZoneWallTime(now.toISOString(), tz).second(0).millisecond(0)
