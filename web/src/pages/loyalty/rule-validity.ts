import { formatDateTime } from '../../format.js'

/** Rules that have always applied (the base rule) start at this instant: it means "no start". */
const ALWAYS = '2000-01-01T00:00:00.000Z'

/**
 * A rule's validity as shown in the rules table, in the chain's zone: `from` is null for a rule
 * with no start (never "2000-01-01 08:00"); `to` is null for an open-ended one.
 */
export const ruleValidity = (r: { validFrom: string; validTo: string | null }, tz: string): { from: string | null; to: string | null } => ({
  from: Date.parse(r.validFrom) <= Date.parse(ALWAYS) ? null : formatDateTime(r.validFrom, tz),
  to: r.validTo ? formatDateTime(r.validTo, tz) : null,
})
