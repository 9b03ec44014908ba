import { sql } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'

// Reads across modules' tables for marketing's campaigns: a run's audience (a segment's snapshot,
// its members' status and consents), what a batch of members agreed to and where they can be
// reached, and the report's purchases and coupon use. Analytics may read across tables; the
// campaigns call these instead of joining others' tables, and write only their own.

type Conn = Db | Trx
type Channel = 'sms' | 'email' | 'wechat' | 'push'
type RecipientGroup = 'target' | 'holdout' | 'chain_holdout'

export const snapshotMemberCount = async (conn: Conn, snapshotId: string): Promise<number> =>
  Number((await conn.selectFrom('segment_snapshot_members').select((eb) => eb.fn.countAll<number>().as('n')).where('snapshot_id', '=', snapshotId).executeTakeFirstOrThrow()).n)

export const excludedMemberCount = async (conn: Conn, snapshotId: string, excludeSnapshotIds: readonly string[]): Promise<number> => {
  if (excludeSnapshotIds.length === 0) return 0
  const r = await conn.selectFrom('segment_snapshot_members as sm').select((eb) => eb.fn.countAll<number>().as('n')).where('sm.snapshot_id', '=', snapshotId)
    .where(({ exists, selectFrom }) => exists(selectFrom('segment_snapshot_members as x').select('x.member_id').where('x.snapshot_id', 'in', [...excludeSnapshotIds]).whereRef('x.member_id', '=', 'sm.member_id')))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * A run's recipients as a query (the campaigns insert it into their own table in one statement):
 * the snapshot's active members, less the excluded segments' and those who agreed to none of the
 * channels; each in the chain-wide holdout (by the id's last two characters, below `chainBound`),
 * else drawn into the campaign's holdout with probability `holdoutPct`%, else a target.
 */
export const campaignAudience = (conn: Conn, engine: Engine, input: {
  runId: string; snapshotId: string; excludeSnapshotIds: readonly string[]; consentChannels: readonly string[]; chainBound: string | null; holdoutPct: number
}) => {
  const draw = engine === 'postgres' ? sql<boolean>`random() * 100 < ${input.holdoutPct}` : sql<boolean>`(abs(random()) % 10000) < ${input.holdoutPct * 100}`
  const chain = input.chainBound === null ? sql<boolean>`1 = 0` : sql<boolean>`substr(m.id, length(m.id) - 1) < ${input.chainBound}`
  const grp = sql<RecipientGroup>`case when ${chain} then 'chain_holdout' when ${draw} then 'holdout' else 'target' end`
  let q = conn.selectFrom('segment_snapshot_members as sm').innerJoin('members as m', 'm.id', 'sm.member_id')
    .where('sm.snapshot_id', '=', input.snapshotId).where('m.status', '=', 'active')
    .where(({ exists, selectFrom }) => exists(selectFrom('member_consents as c').select('c.member_id').whereRef('c.member_id', '=', 'm.id')
      .where('c.granted', '=', 1).where('c.channel', 'in', [...input.consentChannels] as never[])))
  if (input.excludeSnapshotIds.length > 0) {
    q = q.where(({ not, exists, selectFrom }) => not(exists(selectFrom('segment_snapshot_members as x').select('x.member_id')
      .where('x.snapshot_id', 'in', [...input.excludeSnapshotIds]).whereRef('x.member_id', '=', 'm.id'))))
  }
  return q.select((eb) => [eb.cast<string>(eb.val(input.runId), 'text').as('run_id'), 'm.id as member_id', grp.as('grp'), sql<'pending'>`'pending'`.as('status')])
}

export const campaignRecipientsPage = (conn: Conn, runId: string, f: { after?: string; limit: number; grp?: RecipientGroup; status?: string }) => {
  let q = conn.selectFrom('campaign_recipients as r').innerJoin('members as m', 'm.id', 'r.member_id')
    .select(['r.member_id', 'm.card_no', 'm.name_masked', 'm.phone_masked', 'r.grp', 'r.status', 'r.channel', 'r.reason', 'r.message_id', 'r.coupon_id', 'r.updated_at'])
    .where('r.run_id', '=', runId).orderBy('r.member_id').limit(f.limit)
  if (f.after) q = q.where('r.member_id', '>', f.after)
  if (f.grp) q = q.where('r.grp', '=', f.grp)
  if (f.status) q = q.where('r.status', '=', f.status as never)
  return q.execute()
}

/** What the members of a batch agreed to and where they can be reached, read at once. */
export const membersReach = async (conn: Conn, memberIds: readonly string[]) => {
  if (memberIds.length === 0) return new Map<string, { status: string; consents: Set<string>; has: Set<Channel> }>()
  const [members, consents, ids] = await Promise.all([
    conn.selectFrom('members').select(['id', 'status', 'phone_enc', 'email_enc']).where('id', 'in', [...memberIds]).execute(),
    conn.selectFrom('member_consents').select(['member_id', 'channel']).where('member_id', 'in', [...memberIds]).where('granted', '=', 1).execute(),
    conn.selectFrom('member_channel_ids').select(['member_id', 'wechat_openid', 'push_token']).where('member_id', 'in', [...memberIds]).execute(),
  ])
  const out = new Map<string, { status: string; consents: Set<string>; has: Set<Channel> }>()
  for (const m of members) {
    const has = new Set<Channel>()
    if (m.phone_enc) has.add('sms')
    if (m.email_enc) has.add('email')
    out.set(m.id, { status: m.status, consents: new Set(), has })
  }
  for (const c of consents) out.get(c.member_id)?.consents.add(c.channel)
  for (const i of ids) {
    const r = out.get(i.member_id)
    if (!r) continue
    if (i.wechat_openid) r.has.add('wechat')
    if (i.push_token) r.has.add('push')
  }
  return out
}

/**
 * The report's figures per group: members, buyers and net sales (sales less returns, fen) in the
 * window, with the sum of squares of each member's net sales for the variance; set-based.
 */
export const campaignGroupFigures = async (conn: Conn, runId: string, from: string, to: string) => {
  const perMember = conn.selectFrom('campaign_recipients as r')
    .leftJoin('receipts as t', (j) => j.onRef('t.member_id', '=', 'r.member_id').on('t.business_at', '>=', from).on('t.business_at', '<', to).on('t.status', '=', 'posted'))
    .select(['r.member_id', 'r.grp',
      sql<number>`coalesce(sum(case when t.kind = 'sale' then t.total when t.kind = 'return' then -t.total else 0 end), 0)`.as('net'),
      sql<number>`count(case when t.kind = 'sale' then 1 end)`.as('sales')])
    .where('r.run_id', '=', runId).groupBy(['r.member_id', 'r.grp'])
  const rows = await conn.selectFrom(perMember.as('p')).select(['p.grp',
    (eb) => eb.fn.countAll<number>().as('members'),
    sql<number>`sum(case when p.sales > 0 then 1 else 0 end)`.as('buyers'),
    sql<number>`sum(p.net)`.as('sales'),
    sql<number>`sum(cast(p.net as double precision) * p.net)`.as('squares')])
    .groupBy('p.grp').execute()
  return rows.map((r) => ({ grp: r.grp, members: Number(r.members), buyers: Number(r.buyers ?? 0), sales: Number(r.sales ?? 0), salesSquares: Number(r.squares ?? 0) }))
}

/** Net sales per local day of the window per group (for the uplift chart). */
export const campaignDailySales = async (conn: Conn, runId: string, from: string, to: string) =>
  (await conn.selectFrom('campaign_recipients as r').innerJoin('receipts as t', 't.member_id', 'r.member_id')
    .select(['r.grp', 't.business_date', sql<number>`sum(case when t.kind = 'sale' then t.total else -t.total end)`.as('net')])
    .where('r.run_id', '=', runId).where('r.grp', 'in', ['target', 'holdout']).where('t.business_at', '>=', from).where('t.business_at', '<', to).where('t.status', '=', 'posted')
    .groupBy(['r.grp', 't.business_date']).orderBy('t.business_date').execute()).map((r) => ({ grp: r.grp, date: r.business_date, net: Number(r.net) }))

/** The run's coupons: issued, and used within the window. */
export const campaignCouponFigures = async (conn: Conn, runId: string, to: string) => {
  const r = await conn.selectFrom('campaign_recipients as r').innerJoin('coupons as c', 'c.id', 'r.coupon_id')
    .select([(eb) => eb.fn.countAll<number>().as('issued'), sql<number>`sum(case when c.used_at is not null and c.used_at < ${to} then 1 else 0 end)`.as('used')])
    .where('r.run_id', '=', runId).executeTakeFirstOrThrow()
  return { issued: Number(r.issued), used: Number(r.used ?? 0) }
}

