import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

export const DEFAULT_TIMEZONE = 'Asia/Shanghai'

/** An instant shown in the chain's time zone: 2026-03-02 10:00. */
export const formatDateTime = (iso: string | null | undefined, tz = DEFAULT_TIMEZONE): string =>
  iso ? dayjs(iso).tz(tz).format('YYYY-MM-DD HH:mm') : '—'

export const formatDate = (iso: string | null | undefined, tz = DEFAULT_TIMEZONE): string =>
  iso ? (iso.length === 10 ? iso : dayjs(iso).tz(tz).format('YYYY-MM-DD')) : '—'

/** Integer fen as yuan: ¥1,234.50. */
export const formatMoney = (fen: number): string =>
  `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`

export const formatCount = (n: number): string => n.toLocaleString('en-US')
