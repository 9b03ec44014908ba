import type { AuditService } from '../../audit/index.js'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, DomainError, forbidden, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { CHANNELS, type Channel } from '../channels/channels.table.js'
import { consentChannelOf, marketingSentSince, pickChannel, type DeliverInput, type Message } from '../channels/index.js'
import type { Values } from '../templates/template-rules.js'
import { campaignProblems, chainHoldoutBound, minutesOf, nextDue, quietUntil, uplift, type CampaignFields, type Uplift } from './campaign-rules.js'
import type {
  AudienceMode, CampaignRecipientsTable, CampaignRunsTable, CampaignsTable, CampaignStatus, RecipientGroup, RecipientStatus, Recurrence, RunStatus, ScheduleKind, SkipReason,
} from './campaigns.table.js'
import * as repo from './campaigns.repository.js'
import * as reads from '../../analytics/index.js'

type Reach = NonNullable<ReturnType<Awaited<ReturnType<typeof reads.membersReach>>['get']>>


export interface RenderedMessage { subject: string | null; body: string; templateCode: string | null; params: Record<string, string> | null }

export interface CampaignsDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  audit: AuditService
  enqueue: (trx: Db | Trx, name: string, payload: unknown, options?: { runAt?: string; key?: string }) => Promise<string | null>
  /** the segment as the actor may see it (throws its own 404/403), with its snapshots' ids */
  segment: (actor: Actor, segmentId: string) => Promise<{ id: string; name: string; snapshotIds: string[] }>
  /** a fresh snapshot of a segment's members (a dynamic audience is found again at send time) */
  snapshotSegment: (segmentId: string) => Promise<string>
  template: (actor: Actor, templateId: string) => Promise<{ id: string; name: string; channel: Channel; purpose: string; status: string }>
  couponTemplate: (actor: Actor, id: string) => Promise<{ id: string; name: string; status: string }>
  /** the member's values for a message, in clear (the member's own message) */
  memberValues: (memberId: string) => Promise<Values>
  couponValues: (couponTemplateId: string) => Promise<Values>
  render: (templateId: string, values: Values, memberId: string | null) => Promise<RenderedMessage>
  /** a staff member's test: the template filled for a member as that staff member may see them */
  preview: (actor: Actor, input: { templateId: string; memberId?: string | null; couponTemplateId?: string | null }) => Promise<{ subject: string | null; text: string }>
  issueCoupon: (input: { templateId: string; memberId: string; issueKey: string }) => Promise<{ id: string; code: string; validTo?: string | null }>
  deliver: (trx: Trx | null, input: DeliverInput) => Promise<Message>
}

export interface CampaignInput {
  name: string
  description?: string | null
  segmentId: string
  audienceMode?: AudienceMode
  snapshotId?: string | null
  excludeSegmentIds?: string[]
  channels: Channel[]
  templateIds: Partial<Record<Channel, string>>
  couponTemplateId?: string | null
  scheduleKind?: ScheduleKind
  sendAt?: string | null
  recurrence?: Recurrence | null
  repeatUntil?: string | null
  ratePerMinute?: number
  holdoutPct?: number
  attributionDays?: number
}

export interface CampaignSettings {
  /** at most this many marketing messages per member in `capDays` days, every campaign and journey counted; 0: no cap */
  capCount: number
  capDays: number
  /** local times 'HH:MM': messages due inside wait for the end */
  quietStart: string
  quietEnd: string
  /** percent of members never sent marketing, to measure the whole programme (0: none) */
  chainHoldoutPct: number
  /** campaigns wait for an HQ administrator's approval before they go */
  approvalRequired: boolean
  /** what one message costs, fen, per channel */
  costs: Record<Channel, number>
  updatedBy: string | null
  updatedAt: string | null
}

export const DEFAULT_SETTINGS: Omit<CampaignSettings, 'updatedBy' | 'updatedAt'> = {
  capCount: 4, capDays: 30, quietStart: '21:00', quietEnd: '08:00', chainHoldoutPct: 0, approvalRequired: false,
  costs: { sms: 5, email: 0, wechat: 0, push: 0 },
}
const SETTINGS_KEY = 'campaigns.settings'

export interface RunView {
  id: string
  dueAt: string
  status: RunStatus
  startedAt: string
  preparedAt: string | null
  finishedAt: string | null
  audience: number
  excluded: number
  noConsent: number
  chainHoldout: number
  holdout: number
  targets: number
  /** targets by what became of them */
  sent: number
  failed: number
  skipped: number
  pending: number
  skippedBy: Partial<Record<SkipReason, number>>
  sentBy: Partial<Record<Channel, number>>
  error: string | null
}

/** A campaign as the API shows it: its fields, its state and who did what. */
export interface CampaignView extends CampaignFields {
  id: string
  status: CampaignStatus
  version: number
  createdBy: string | null
  createdAt: string
  updatedAt: string
  submittedBy: string | null
  approvedBy: string | null
  approvedAt: string | null
  nextRunAt: string | null
}

export interface CampaignReport {
  runId: string
  from: string
  to: string
  /** the window is still open: the figures grow */
  partial: boolean
  groups: Record<RecipientGroup, { members: number; buyers: number; sales: number; buyRate: number | null; salesPerMember: number | null }>
  uplift: Uplift
  coupons: { issued: number; used: number; redemptionRate: number | null }
  messages: { total: number; byChannel: Partial<Record<Channel, number>>; delivered: number; failed: number; cost: number }
  /** (incremental sales − message cost) ÷ message cost; null without a holdout or a cost */
  roi: number | null
  /** per day of the window: cumulative net sales per member, target and holdout (fen) */
  daily: Array<{ date: string; target: number; holdout: number }>
}

const toView = (r: CampaignsTable): CampaignView => ({
  id: r.id, name: r.name, description: r.description, status: r.status, segmentId: r.segment_id, audienceMode: r.audience_mode, snapshotId: r.snapshot_id,
  excludeSegmentIds: JSON.parse(r.exclude_segment_ids) as string[], channels: JSON.parse(r.channels) as Channel[],
  templateIds: JSON.parse(r.template_ids) as Partial<Record<Channel, string>>, couponTemplateId: r.coupon_template_id, scheduleKind: r.schedule_kind,
  sendAt: r.send_at, recurrence: r.recurrence, repeatUntil: r.repeat_until, ratePerMinute: Number(r.rate_per_minute), holdoutPct: Number(r.holdout_pct),
  attributionDays: Number(r.attribution_days), version: Number(r.version), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  submittedBy: r.submitted_by, approvedBy: r.approved_by, approvedAt: r.approved_at, nextRunAt: r.next_run_at,
})

const fieldsOf = (r: CampaignsTable): CampaignFields => {
  const { id: _i, status: _s, version: _v, createdBy: _cb, createdAt: _ca, updatedAt: _ua, submittedBy: _sb, approvedBy: _ab, approvedAt: _aa, nextRunAt: _n, ...fields } = toView(r)
  return fields
}

const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString())


export const START_JOB = 'campaigns.start'
export const SEND_JOB = 'campaigns.send'
const SOURCE = 'campaign_run'
/** Recipients read and written at once (a bound on a query's parameters on either engine). */
const CHUNK = 500
/** Members sent to at once within a chunk. */
const SEND_CONCURRENCY = 8

/** Campaigns (issue 15 §3): a segment, channels in order, a template each, a coupon, a schedule, a holdout, a report. */
export const createCampaignsService = (deps: CampaignsDeps) => {
  const { db, engine, clock, timezone, audit } = deps
  const now = () => clock.now().toISOString()

  const notFoundError = () => notFound('CAMPAIGN_NOT_FOUND', [{ field: 'id', reason: 'no such campaign' }])
  const load = async (conn: Db | Trx, id: string) => {
    const r = await repo.findCampaign(conn, id)
    if (!r) throw notFoundError()
    return r
  }
  const versionError = () => conflict('CAMPAIGN_VERSION', [{ field: 'version', reason: 'the campaign changed since you read it; reload it' }])
  const statusError = (status: CampaignStatus, action: string) => conflict('CAMPAIGN_STATUS', [{ field: 'status', reason: `a ${status} campaign cannot be ${action}` }])

  // ---- settings ------------------------------------------------------------------------------
  const readSettings = async (conn: Db | Trx = db): Promise<CampaignSettings> => {
    const r = await repo.findSetting(conn, SETTINGS_KEY)
    const stored = r ? JSON.parse(r.value) as Partial<CampaignSettings> : {}
    return { ...DEFAULT_SETTINGS, ...stored, costs: { ...DEFAULT_SETTINGS.costs, ...stored.costs }, updatedBy: r?.updated_by ?? null, updatedAt: r?.updated_at ?? null }
  }

  const settings = async (actor: Actor) => {
    assertCan(actor, 'marketing.read')
    return readSettings()
  }

  const saveSettings = async (actor: Actor, input: Partial<Omit<CampaignSettings, 'updatedBy' | 'updatedAt' | 'costs'>> & { costs?: Record<string, number | undefined> }): Promise<CampaignSettings> => {
    assertCan(actor, 'marketing.manage')
    const before = await readSettings()
    const costs = { ...before.costs }
    for (const ch of CHANNELS) if (input.costs?.[ch] !== undefined) costs[ch] = input.costs[ch]!
    const next = { ...before, ...input, costs }
    const problems: ErrorDetail[] = []
    if (!Number.isInteger(next.capCount) || next.capCount < 0 || next.capCount > 100) problems.push({ field: 'capCount', reason: 'a whole number from 0 (no cap) to 100' })
    if (!Number.isInteger(next.capDays) || next.capDays < 1 || next.capDays > 365) problems.push({ field: 'capDays', reason: 'whole days from 1 to 365' })
    if (minutesOf(next.quietStart) === null) problems.push({ field: 'quietStart', reason: 'a time HH:MM' })
    if (minutesOf(next.quietEnd) === null) problems.push({ field: 'quietEnd', reason: 'a time HH:MM' })
    if (!Number.isInteger(next.chainHoldoutPct) || next.chainHoldoutPct < 0 || next.chainHoldoutPct > 20) problems.push({ field: 'chainHoldoutPct', reason: 'a whole percent from 0 to 20' })
    for (const [ch, fen] of Object.entries(next.costs)) {
      if (!Number.isInteger(fen) || fen < 0 || fen > 10_000) problems.push({ field: `costs.${ch}`, reason: 'whole fen from 0 to 10000' })
    }
    if (problems.length) throw unprocessable('CAMPAIGN_SETTINGS_INVALID', problems)
    const { updatedBy: _b, updatedAt: _a, ...value } = next
    await db.transaction().execute(async (trx) => {
      await repo.saveSetting(trx, { key: SETTINGS_KEY, value: JSON.stringify(value), updated_by: actorStaffId(actor), updated_at: now() })
      const changes: Record<string, unknown> = {}
      for (const k of ['capCount', 'capDays', 'quietStart', 'quietEnd', 'chainHoldoutPct', 'approvalRequired'] as const) {
        if (before[k] !== next[k]) changes[k] = { from: before[k], to: next[k] }
      }
      if (JSON.stringify(before.costs) !== JSON.stringify(next.costs)) changes.costs = { from: before.costs, to: next.costs }
      await audit.record(trx, actor, { action: 'campaign.settings.update', entityType: 'marketing_settings', entityId: null, changes })
    })
    return readSettings()
  }

  // ---- campaigns -----------------------------------------------------------------------------
  /** The fields' own problems, then what they name: the segment and its snapshot, the templates, the coupon. */
  const check = async (actor: Actor, f: CampaignFields): Promise<void> => {
    const problems = campaignProblems(f, clock.now())
    if (problems.length) throw unprocessable('CAMPAIGN_INVALID', problems)
    const named = async (field: string, fn: () => Promise<unknown>) => {
      try {
        return await fn()
      } catch (e) {
        if (e instanceof DomainError && (e.status === 404 || e.status === 422)) { problems.push({ field, reason: 'not found' }); return null }
        throw e
      }
    }
    const seg = await named('segmentId', () => deps.segment(actor, f.segmentId)) as Awaited<ReturnType<CampaignsDeps['segment']>> | null
    if (seg && f.snapshotId && !seg.snapshotIds.includes(f.snapshotId)) problems.push({ field: 'snapshotId', reason: 'not a snapshot of this segment' })
    for (const [i, id] of f.excludeSegmentIds.entries()) await named(`excludeSegmentIds.${i}`, () => deps.segment(actor, id))
    for (const ch of f.channels) {
      const t = await named(`templateIds.${ch}`, () => deps.template(actor, f.templateIds[ch]!)) as Awaited<ReturnType<CampaignsDeps['template']>> | null
      if (!t) continue
      if (t.channel !== ch) problems.push({ field: `templateIds.${ch}`, reason: `a ${t.channel} template` })
      else if (t.status !== 'active') problems.push({ field: `templateIds.${ch}`, reason: 'the template is archived' })
    }
    if (f.couponTemplateId) {
      const c = await named('couponTemplateId', () => deps.couponTemplate(actor, f.couponTemplateId!)) as { status: string } | null
      if (c && c.status !== 'active') problems.push({ field: 'couponTemplateId', reason: `the coupon template is ${c.status}` })
    }
    if (problems.length) throw unprocessable('CAMPAIGN_INVALID', problems)
  }

  const fromInput = (input: CampaignInput): CampaignFields => ({
    name: (input.name ?? '').trim(), description: input.description?.trim() || null, segmentId: input.segmentId, audienceMode: input.audienceMode ?? 'dynamic',
    snapshotId: input.snapshotId ?? null, excludeSegmentIds: input.excludeSegmentIds ?? [], channels: input.channels, templateIds: input.templateIds,
    couponTemplateId: input.couponTemplateId ?? null, scheduleKind: input.scheduleKind ?? 'now', sendAt: input.sendAt ?? null,
    recurrence: input.recurrence ?? null, repeatUntil: input.repeatUntil ?? null, ratePerMinute: input.ratePerMinute ?? 1000,
    holdoutPct: input.holdoutPct ?? 10, attributionDays: input.attributionDays ?? 14,
  })
  const safeIso = (v: string | null) => { try { return iso(v) } catch { return v } }

  const columnsOf = (f: CampaignFields): Omit<CampaignsTable, 'id' | 'status' | 'version' | 'created_by' | 'created_at' | 'updated_by' | 'updated_at' | 'submitted_by' | 'approved_by' | 'approved_at' | 'next_run_at'> => ({
    name: f.name, description: f.description, segment_id: f.segmentId, audience_mode: f.audienceMode, snapshot_id: f.snapshotId, exclude_segment_ids: JSON.stringify(f.excludeSegmentIds),
    channels: JSON.stringify(f.channels), template_ids: JSON.stringify(Object.fromEntries(f.channels.map((c) => [c, f.templateIds[c]]))), coupon_template_id: f.couponTemplateId,
    schedule_kind: f.scheduleKind, send_at: f.sendAt, recurrence: f.recurrence, repeat_until: f.repeatUntil, rate_per_minute: f.ratePerMinute, holdout_pct: f.holdoutPct,
    attribution_days: f.attributionDays,
  })

  const nameTaken = () => conflict('CAMPAIGN_NAME_TAKEN', [{ field: 'name', reason: 'another campaign has this name' }])

  const create = async (actor: Actor, input: CampaignInput): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const f = fromInput(input)
    f.sendAt = safeIso(f.sendAt)
    f.repeatUntil = safeIso(f.repeatUntil)
    await check(actor, f)
    const at = now()
    const by = actorStaffId(actor)
    const row: CampaignsTable = {
      id: newId('cmp'), ...columnsOf(f), status: 'draft', version: 1, created_by: by, created_at: at, updated_by: by, updated_at: at,
      submitted_by: null, approved_by: null, approved_at: null, next_run_at: null,
    }
    await db.transaction().execute(async (trx) => {
      if (await repo.findCampaignByName(trx, row.name)) throw nameTaken()
      await repo.insertCampaign(trx, row)
      await audit.record(trx, actor, { action: 'campaign.create', entityType: 'campaign', entityId: row.id, changes: { name: row.name, channels: f.channels, holdoutPct: f.holdoutPct } })
    })
    return toView(row)
  }

  /** A draft's fields change (from the version read); a submitted campaign goes back to draft first (withdraw). */
  const update = async (actor: Actor, id: string, patch: Partial<CampaignInput> & { version: number }): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const before = await load(db, id)
    if (before.status !== 'draft') throw statusError(before.status, 'changed; withdraw it to a draft first')
    const old = fieldsOf(before)
    const f = fromInput({ ...old, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as CampaignInput)
    f.sendAt = safeIso(f.sendAt)
    f.repeatUntil = safeIso(f.repeatUntil)
    await check(actor, f)
    await db.transaction().execute(async (trx) => {
      if (f.name !== before.name) {
        const other = await repo.findCampaignByName(trx, f.name)
        if (other && other.id !== id) throw nameTaken()
      }
      if (!(await repo.updateCampaign(trx, id, patch.version, { ...columnsOf(f), updated_by: actorStaffId(actor), updated_at: now() }, ['draft']))) throw versionError()
      const changed = Object.keys(f).filter((k) => JSON.stringify(f[k as keyof CampaignFields]) !== JSON.stringify(old[k as keyof CampaignFields]))
      await audit.record(trx, actor, { action: 'campaign.update', entityType: 'campaign', entityId: id, changes: { fields: changed } })
    })
    return toView(await load(db, id))
  }

  /** First due time of a campaign going live. */
  const firstDue = (r: CampaignsTable): string => (r.schedule_kind === 'now' ? now() : r.send_at!)

  /** Puts a campaign on the schedule (in the caller's transaction): its first run's job at its due time. */
  const putOnSchedule = async (trx: Trx, r: CampaignsTable, dueAt: string) => {
    await deps.enqueue(trx, START_JOB, { campaignId: r.id, dueAt }, { runAt: dueAt, key: `${START_JOB}:${r.id}:${dueAt}` })
  }

  const submit = async (actor: Actor, id: string, version: number): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    if (r.status !== 'draft') throw statusError(r.status, 'submitted')
    await check(actor, fieldsOf(r))
    if (r.schedule_kind === 'at' && new Date(r.send_at!) <= clock.now()) throw unprocessable('CAMPAIGN_INVALID', [{ field: 'sendAt', reason: 'in the past' }])
    const { approvalRequired } = await readSettings()
    await db.transaction().execute(async (trx) => {
      const at = now()
      if (approvalRequired) {
        if (!(await repo.updateCampaign(trx, id, version, { status: 'pending_approval', submitted_by: actorStaffId(actor), updated_at: at }, ['draft']))) throw versionError()
      } else {
        const due = firstDue(r)
        if (!(await repo.updateCampaign(trx, id, version, { status: 'scheduled', submitted_by: actorStaffId(actor), next_run_at: due, updated_at: at }, ['draft']))) throw versionError()
        await putOnSchedule(trx, r, due)
      }
      await audit.record(trx, actor, { action: 'campaign.submit', entityType: 'campaign', entityId: id, changes: { status: { from: 'draft', to: approvalRequired ? 'pending_approval' : 'scheduled' } } })
    })
    return toView(await load(db, id))
  }

  const approve = async (actor: Actor, id: string, version: number): Promise<CampaignView> => {
    assertCan(actor, 'marketing.approve')
    const r = await load(db, id)
    if (r.status !== 'pending_approval') throw statusError(r.status, 'approved')
    if (r.submitted_by && r.submitted_by === actorStaffId(actor)) throw forbidden('CAMPAIGN_SELF_APPROVAL', [{ field: 'id', reason: 'a campaign is approved by someone other than who submitted it' }])
    if (r.schedule_kind === 'at' && new Date(r.send_at!) <= clock.now()) throw unprocessable('CAMPAIGN_INVALID', [{ field: 'sendAt', reason: 'passed while the campaign waited for approval; withdraw it and set a new time' }])
    await db.transaction().execute(async (trx) => {
      const at = now()
      const due = firstDue(r)
      if (!(await repo.updateCampaign(trx, id, version, { status: 'scheduled', approved_by: actorStaffId(actor), approved_at: at, next_run_at: due, updated_at: at }, ['pending_approval']))) throw versionError()
      await putOnSchedule(trx, r, due)
      await audit.record(trx, actor, { action: 'campaign.approve', entityType: 'campaign', entityId: id, changes: { status: { from: 'pending_approval', to: 'scheduled' } } })
    })
    return toView(await load(db, id))
  }

  /** Back to a draft: a campaign waiting for approval (rejected, with the reason) or scheduled and not yet started. */
  const withdraw = async (actor: Actor, id: string, input: { version: number; reason?: string | null }): Promise<CampaignView> => {
    const r = await load(db, id)
    assertCan(actor, r.status === 'pending_approval' && actorStaffId(actor) !== r.submitted_by ? 'marketing.approve' : 'marketing.manage')
    if (r.status !== 'pending_approval' && !(r.status === 'scheduled' && (await repo.runsOf(db, id)).length === 0)) throw statusError(r.status, 'withdrawn')
    await db.transaction().execute(async (trx) => {
      if (!(await repo.updateCampaign(trx, id, input.version, { status: 'draft', next_run_at: null, approved_by: null, approved_at: null, updated_at: now() }, ['pending_approval', 'scheduled']))) throw versionError()
      await audit.record(trx, actor, { action: 'campaign.withdraw', entityType: 'campaign', entityId: id, changes: { status: { from: r.status, to: 'draft' }, reason: input.reason?.trim() || null } })
    })
    return toView(await load(db, id))
  }

  const pause = async (actor: Actor, id: string): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    await db.transaction().execute(async (trx) => {
      if (!(await repo.setCampaignStatus(trx, id, ['scheduled', 'running'], { status: 'paused', updated_at: now() }))) throw statusError(r.status, 'paused')
      for (const run of await repo.openRuns(trx, id)) await repo.setRunStatus(trx, run.id, ['sending'], { status: 'paused' })
      await audit.record(trx, actor, { action: 'campaign.pause', entityType: 'campaign', entityId: id, changes: { status: { from: r.status, to: 'paused' } } })
    })
    return toView(await load(db, id))
  }

  const resume = async (actor: Actor, id: string): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    await db.transaction().execute(async (trx) => {
      const runs = await repo.openRuns(trx, id)
      const paused = runs.filter((x) => x.status === 'paused')
      const to: CampaignStatus = runs.length > 0 ? 'running' : 'scheduled'
      if (!(await repo.setCampaignStatus(trx, id, ['paused'], { status: to, updated_at: now() }))) throw statusError(r.status, 'resumed')
      for (const run of paused) {
        await repo.setRunStatus(trx, run.id, ['paused'], { status: 'sending' })
        await deps.enqueue(trx, SEND_JOB, { runId: run.id }, { key: `${SEND_JOB}:${run.id}:resume:${now()}` })
      }
      // A due time that passed while paused starts now (its job found the campaign paused and did nothing).
      if (runs.length === 0 && r.next_run_at) {
        const due = r.next_run_at < now() ? now() : r.next_run_at
        await deps.enqueue(trx, START_JOB, { campaignId: id, dueAt: r.next_run_at }, { runAt: due, key: `${START_JOB}:${id}:${r.next_run_at}:resume:${now()}` })
      }
      await audit.record(trx, actor, { action: 'campaign.resume', entityType: 'campaign', entityId: id, changes: { status: { from: 'paused', to } } })
    })
    return toView(await load(db, id))
  }

  const cancel = async (actor: Actor, id: string): Promise<CampaignView> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    await db.transaction().execute(async (trx) => {
      const at = now()
      if (!(await repo.setCampaignStatus(trx, id, ['draft', 'pending_approval', 'scheduled', 'running', 'paused'], { status: 'cancelled', next_run_at: null, updated_at: at }))) throw statusError(r.status, 'cancelled')
      let skipped = 0
      for (const run of await repo.openRuns(trx, id)) {
        await repo.setRunStatus(trx, run.id, ['preparing', 'sending', 'paused'], { status: 'cancelled', finished_at: at })
        skipped += await repo.skipPending(trx, run.id, at)
      }
      await audit.record(trx, actor, { action: 'campaign.cancel', entityType: 'campaign', entityId: id, changes: { status: { from: r.status, to: 'cancelled' }, unsent: skipped } })
    })
    return toView(await load(db, id))
  }

  // ---- the workers' side ---------------------------------------------------------------------
  /**
   * A due run: the audience found (a dynamic segment's fresh snapshot), the exclusions and the
   * members without consent on any of the channels left out, the holdouts drawn, the targets
   * queued — one transaction, so a crash leaves no half-prepared run and a repeat finds the run.
   * A recurring campaign's next due time is queued with it.
   */
  const startDue = async (input: { campaignId: string; dueAt: string }): Promise<{ runId: string | null; targets: number }> => {
    const r = await repo.findCampaign(db, input.campaignId)
    if (!r || (r.status !== 'scheduled' && r.status !== 'running')) return { runId: null, targets: 0 }
    const already = await repo.findRunByDue(db, r.id, input.dueAt)
    if (already) return { runId: already.id, targets: already.targets }
    const f = fieldsOf(r)
    const snapshotId = f.audienceMode === 'snapshot' ? f.snapshotId! : await deps.snapshotSegment(f.segmentId)
    const excludeIds: string[] = []
    for (const s of f.excludeSegmentIds) excludeIds.push(await deps.snapshotSegment(s))
    const s = await readSettings()
    const at = now()
    const run: CampaignRunsTable = {
      id: newId('crn'), campaign_id: r.id, due_at: input.dueAt, status: 'preparing', started_at: at, prepared_at: null, finished_at: null,
      audience: 0, excluded: 0, no_consent: 0, chain_holdout: 0, holdout: 0, targets: 0, error: null,
    }
    return db.transaction().execute(async (trx) => {
      if (!(await repo.insertRun(trx, run))) {
        const found = (await repo.findRunByDue(trx, r.id, input.dueAt))!
        return { runId: found.id, targets: found.targets }
      }
      await repo.insertRecipients(trx, run.id, reads.campaignAudience(trx, engine, {
        runId: run.id, snapshotId, excludeSnapshotIds: excludeIds, consentChannels: f.channels.map(consentChannelOf), chainBound: chainHoldoutBound(s.chainHoldoutPct), holdoutPct: f.holdoutPct,
      }))
      const [audience, excluded, groups] = await Promise.all([reads.snapshotMemberCount(trx, snapshotId), reads.excludedMemberCount(trx, snapshotId, excludeIds), repo.groupCounts(trx, run.id)])
      const placed = groups.target + groups.holdout + groups.chain_holdout
      const counts = { audience, excluded, no_consent: Math.max(0, audience - excluded - placed), chain_holdout: groups.chain_holdout, holdout: groups.holdout, targets: groups.target }
      await repo.updateRun(trx, run.id, { ...counts, status: 'sending', prepared_at: now() })
      await repo.setCampaignStatus(trx, r.id, ['scheduled'], { status: 'running', updated_at: now() })
      await deps.enqueue(trx, SEND_JOB, { runId: run.id }, { key: `${SEND_JOB}:${run.id}:first` })
      if (f.scheduleKind === 'recurring') {
        const next = nextDue(f.sendAt!, f.recurrence!, new Date(input.dueAt), timezone).toISOString()
        if (!f.repeatUntil || next <= f.repeatUntil) {
          await repo.setCampaignStatus(trx, r.id, ['running', 'paused'], { next_run_at: next })
          await deps.enqueue(trx, START_JOB, { campaignId: r.id, dueAt: next }, { runAt: next, key: `${START_JOB}:${r.id}:${next}` })
        } else await repo.setCampaignStatus(trx, r.id, ['running', 'paused'], { next_run_at: null })
      } else await repo.setCampaignStatus(trx, r.id, ['running', 'paused'], { next_run_at: null })
      return { runId: run.id, targets: counts.targets }
    })
  }

  const isCode = (e: unknown, codes: string[]) => e instanceof DomainError && codes.includes(e.code)

  /**
   * One minute's worth of a run's messages (the campaign's rate), then the next minute's job. Each
   * member: the cap, the first channel they agreed to and can be reached on, the coupon (issued
   * once per run and member by its key), the message (sent once per run and member by the log's
   * dedupe key) — so a repeat after a crash, or a second worker, sends and issues nothing twice.
   * Inside quiet hours nothing goes: the job comes back when they end.
   */
  const sendBatch = async (input: { runId: string }): Promise<{ sent: number; skipped: number; failed: number; waitingUntil?: string; done: boolean }> => {
    const run = await repo.findRun(db, input.runId)
    const none = { sent: 0, skipped: 0, failed: 0, done: false }
    if (!run || run.status !== 'sending') return none
    const r = (await repo.findCampaign(db, run.campaign_id))!
    if (r.status !== 'running' && r.status !== 'scheduled') return none
    const s = await readSettings()
    const started = clock.now()
    const quiet = quietUntil(started, timezone, s.quietStart, s.quietEnd)
    if (quiet) {
      const until = quiet.toISOString()
      await deps.enqueue(db, SEND_JOB, { runId: run.id }, { runAt: until, key: `${SEND_JOB}:${run.id}:${until}` })
      return { ...none, waitingUntil: until }
    }
    const f = fieldsOf(r)
    const since = new Date(started.getTime() - s.capDays * 86_400_000).toISOString()
    const couponValues = f.couponTemplateId ? await deps.couponValues(f.couponTemplateId) : {}
    const tally = { sent: 0, skipped: 0, failed: 0 }
    // What became of each member is written a chunk at a time, in one transaction: a crash before
    // it leaves them waiting, and the repeat finds their coupons and messages by their keys.
    let outcomes: Array<{ memberId: string; changes: Partial<CampaignRecipientsTable> }> = []
    const mark = async (memberId: string, status: RecipientStatus, changes: Partial<CampaignRecipientsTable> = {}) => {
      outcomes.push({ memberId, changes: { status, ...changes, updated_at: now() } })
      if (status === 'sent') tally.sent++
      else if (status === 'failed') tally.failed++
      else tally.skipped++
    }
    const writeOutcomes = async () => {
      const done = outcomes
      outcomes = []
      if (done.length) await db.transaction().execute(async (trx) => { for (const o of done) await repo.updateRecipient(trx, run.id, o.memberId, o.changes) })
    }
    /** One member: the cap, the channel, the coupon, the message; what became of it on their row. */
    const sendOne = async (memberId: string, who: Reach | undefined, counted: Map<string, number>): Promise<void> => {
      if (!who || who.status !== 'active') return mark(memberId, 'skipped', { reason: 'erased' })
      if (s.capCount > 0 && (counted.get(memberId) ?? 0) >= s.capCount) return mark(memberId, 'skipped', { reason: 'cap' })
      const channel = pickChannel(f.channels, who)
      if (!channel) return mark(memberId, 'skipped', { reason: 'no_channel' })
      let coupon: { id: string; code: string; validTo?: string | null } | null = null
      if (f.couponTemplateId) {
        try {
          coupon = await deps.issueCoupon({ templateId: f.couponTemplateId, memberId, issueKey: `campaign:${run.id}` })
        } catch (e) {
          if (!isCode(e, ['COUPON_BUDGET_EXHAUSTED', 'COUPON_TEMPLATE_INACTIVE', 'COUPON_TEMPLATE_NOT_FOUND'])) throw e
          return mark(memberId, 'skipped', { channel, reason: 'coupon' })
        }
      }
      const values: Values = { ...(await deps.memberValues(memberId)), ...couponValues, ...(coupon ? { couponCode: coupon.code, ...(coupon.validTo ? { couponValidUntil: coupon.validTo } : {}) } : {}) }
      const text = await deps.render(f.templateIds[channel]!, values, memberId)
      let m: Message
      try {
        m = await deps.deliver(null, {
          channel, purpose: 'marketing', memberId, subject: text.subject, body: text.body, templateCode: text.templateCode, params: text.params,
          sourceType: SOURCE, sourceId: run.id,
        })
      } catch (e) {
        if (!isCode(e, ['MARKETING_NO_CONSENT', 'MEMBER_NOT_FOUND'])) throw e
        return mark(memberId, 'skipped', { channel, reason: 'no_channel', coupon_id: coupon?.id ?? null })
      }
      counted.set(memberId, (counted.get(memberId) ?? 0) + 1)
      return mark(memberId, m.status === 'failed' || m.status === 'bounced' ? 'failed' : 'sent', { channel, message_id: m.id, coupon_id: coupon?.id ?? null })
    }
    // A minute's quota, read a chunk at a time (the members' consents and caps in one query each);
    // a pause or a cancel between chunks stops the rest.
    let quota = f.ratePerMinute
    while (quota > 0) {
      if (quota < f.ratePerMinute && (await repo.findCampaign(db, r.id))?.status !== 'running') break
      const batch = (await repo.pendingRecipients(db, run.id, Math.min(CHUNK, quota))).map((x) => x.member_id)
      if (batch.length === 0) break
      quota -= batch.length
      const reach = await reads.membersReach(db, batch)
      const counted = s.capCount > 0 ? await marketingSentSince(db, batch, since) : new Map<string, number>()
      // A few members at once: a provider's round trip (or PostgreSQL's) overlaps the next member's reads.
      const queue = [...batch]
      try {
        await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, async () => {
          for (let id = queue.shift(); id !== undefined; id = queue.shift()) await sendOne(id, reach.get(id), counted)
        }))
      } finally {
        await writeOutcomes()
      }
    }
    if (await repo.hasPending(db, run.id)) {
      const next = new Date(Math.max(started.getTime() + 60_000, clock.now().getTime())).toISOString()
      await deps.enqueue(db, SEND_JOB, { runId: run.id }, { runAt: next, key: `${SEND_JOB}:${run.id}:${next}` })
      return { ...tally, done: false }
    }
    await db.transaction().execute(async (trx) => {
      if (!(await repo.setRunStatus(trx, run.id, ['sending'], { status: 'done', finished_at: now() }))) return
      const open = (await repo.openRuns(trx, r.id)).length
      const fresh = (await repo.findCampaign(trx, r.id))!
      if (open === 0 && fresh.status === 'running') {
        await repo.setCampaignStatus(trx, r.id, ['running'], { status: fresh.next_run_at ? 'scheduled' : 'completed', updated_at: now() })
      }
    })
    return { ...tally, done: true }
  }

  // ---- reads ---------------------------------------------------------------------------------
  const toRun = async (conn: Db | Trx, u: CampaignRunsTable): Promise<RunView> => {
    const rows = await repo.statusCounts(conn, u.id)
    const sum = (st: RecipientStatus) => rows.filter((x) => x.status === st).reduce((a, x) => a + x.n, 0)
    const skippedBy: Partial<Record<SkipReason, number>> = {}
    const sentBy: Partial<Record<Channel, number>> = {}
    for (const x of rows) {
      if (x.status === 'skipped' && x.reason) skippedBy[x.reason] = (skippedBy[x.reason] ?? 0) + x.n
      if (x.status === 'sent' && x.channel) sentBy[x.channel] = (sentBy[x.channel] ?? 0) + x.n
    }
    return {
      id: u.id, dueAt: u.due_at, status: u.status, startedAt: u.started_at, preparedAt: u.prepared_at, finishedAt: u.finished_at, audience: Number(u.audience),
      excluded: Number(u.excluded), noConsent: Number(u.no_consent), chainHoldout: Number(u.chain_holdout), holdout: Number(u.holdout), targets: Number(u.targets),
      sent: sum('sent'), failed: sum('failed'), skipped: sum('skipped'), pending: sum('pending'), skippedBy, sentBy, error: u.error,
    }
  }

  const list = async (actor: Actor, q: { status?: CampaignStatus; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'marketing.read')
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await repo.listCampaigns(db, { status: q.status, limit: limit + 1, before: q.cursor })
    const items = rows.slice(0, limit).map(toView)
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const get = async (actor: Actor, id: string): Promise<CampaignView & { runs: RunView[] }> => {
    assertCan(actor, 'marketing.read')
    const r = await load(db, id)
    const runs = await repo.runsOf(db, id)
    return { ...toView(r), runs: await Promise.all(runs.map((u) => toRun(db, u))) }
  }

  const runOf = async (campaignId: string, runId?: string) => {
    await load(db, campaignId)
    const runs = await repo.runsOf(db, campaignId)
    const run = runId ? runs.find((u) => u.id === runId) : runs[0]
    if (!run) throw notFound('CAMPAIGN_RUN_NOT_FOUND', [{ field: 'runId', reason: runId ? 'no such run of this campaign' : 'the campaign has not run yet' }])
    return run
  }

  const recipients = async (actor: Actor, id: string, q: { runId?: string; group?: RecipientGroup; status?: RecipientStatus; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'marketing.read')
    const run = await runOf(id, q.runId)
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await reads.campaignRecipientsPage(db, run.id, { after: q.cursor, limit, grp: q.group, status: q.status })
    return {
      runId: run.id,
      items: rows.map((x) => ({
        memberId: x.member_id, cardNo: x.card_no, name: x.name_masked, phone: x.phone_masked, group: x.grp, status: x.status, channel: x.channel, reason: x.reason,
        messageId: x.message_id, couponId: x.coupon_id, updatedAt: x.updated_at,
      })),
      nextCursor: rows.length === limit ? rows[rows.length - 1]!.member_id : null,
    }
  }

  /**
   * The report of a run (default the latest): recipients (targets, all of them, whether or not a
   * message reached them: intention to treat) against the holdout over the attribution window from
   * the run's start — share who bought, net sales per member, the incremental sales with their 95%
   * interval, coupons redeemed, the messages' cost and the return on it.
   */
  const report = async (actor: Actor, id: string, q: { runId?: string } = {}): Promise<CampaignReport> => {
    assertCan(actor, 'marketing.read')
    const r = await load(db, id)
    const run = await runOf(id, q.runId)
    const from = run.started_at
    const end = new Date(new Date(from).getTime() + Number(r.attribution_days) * 86_400_000).toISOString()
    const partial = end > now()
    const to = partial ? now() : end
    // The window's end is exclusive; while it is open, what happened up to this instant counts.
    const upTo = partial ? new Date(clock.now().getTime() + 1).toISOString() : end
    const [figures, coupons, messages, daily, s] = await Promise.all([
      reads.campaignGroupFigures(db, run.id, from, upTo), reads.campaignCouponFigures(db, run.id, upTo), repo.messageFigures(db, run.id), reads.campaignDailySales(db, run.id, from, upTo), readSettings(),
    ])
    const zero = { members: 0, buyers: 0, sales: 0, salesSquares: 0 }
    const g = (k: RecipientGroup) => figures.find((x) => x.grp === k) ?? zero
    const groups = Object.fromEntries((['target', 'holdout', 'chain_holdout'] as const).map((k) => {
      const x = g(k)
      return [k, { members: x.members, buyers: x.buyers, sales: x.sales, buyRate: x.members ? x.buyers / x.members : null, salesPerMember: x.members ? x.sales / x.members : null }]
    })) as CampaignReport['groups']
    const u = uplift(g('target'), g('holdout'))
    const byChannel: Partial<Record<Channel, number>> = {}
    let total = 0
    let delivered = 0
    let failed = 0
    let cost = 0
    for (const m of messages) {
      if (m.status === 'failed') { failed += m.n; continue }
      total += m.n
      byChannel[m.channel] = (byChannel[m.channel] ?? 0) + m.n
      if (m.status === 'delivered') delivered += m.n
      cost += m.n * (s.costs[m.channel] ?? 0)
    }
    const roi = u.incrementalSales !== null && cost > 0 ? (u.incrementalSales - cost) / cost : null
    // Cumulative sales per member by day, for the uplift chart.
    const days: CampaignReport['daily'] = []
    let tSum = 0
    let hSum = 0
    const dates = [...new Set(daily.map((d) => d.date))].sort()
    for (const date of dates) {
      for (const d of daily.filter((x) => x.date === date)) {
        if (d.grp === 'target') tSum += d.net
        else hSum += d.net
      }
      days.push({ date, target: groups.target.members ? Math.round(tSum / groups.target.members) : 0, holdout: groups.holdout.members ? Math.round(hSum / groups.holdout.members) : 0 })
    }
    return {
      runId: run.id, from, to, partial, groups, uplift: u,
      coupons: { ...coupons, redemptionRate: coupons.issued ? coupons.used / coupons.issued : null },
      messages: { total, byChannel, delivered, failed, cost }, roi, daily: days,
    }
  }

  /** A staff member's test of the campaign's message: each channel's template, filled for a member as they may see them, to the address given. */
  const testSend = async (actor: Actor, id: string, input: { channel: Channel; to: string; memberId?: string | null }): Promise<Message> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    const f = fieldsOf(r)
    const templateId = f.templateIds[input.channel]
    if (!templateId) throw unprocessable('VALIDATION', [{ field: 'channel', reason: 'not one of the campaign\'s channels' }])
    const p = await deps.preview(actor, { templateId, memberId: input.memberId ?? null, couponTemplateId: f.couponTemplateId })
    const m = await deps.deliver(null, { channel: input.channel, purpose: 'service', to: input.to, subject: p.subject, body: p.text, createdBy: actorStaffId(actor) })
    await audit.record(db, actor, { action: 'campaign.test', entityType: 'campaign', entityId: id, changes: { messageChannel: input.channel, messageStatus: m.status } })
    return m
  }

  /** The campaigns a member was in (the member page). */
  const ofMember = async (actor: Actor, memberId: string) => {
    assertCan(actor, 'marketing.read')
    return (await repo.campaignsOfMember(db, memberId, 100)).map((x) => ({
      campaignId: x.campaign_id, name: x.name, runId: x.run_id, startedAt: x.started_at, group: x.grp, status: x.status, channel: x.channel, reason: x.reason,
      messageId: x.message_id, couponId: x.coupon_id,
    }))
  }

  return { settings, saveSettings, create, update, submit, approve, withdraw, pause, resume, cancel, startDue, sendBatch, list, get, recipients, report, testSend, ofMember }
}

export type CampaignsService = ReturnType<typeof createCampaignsService>
