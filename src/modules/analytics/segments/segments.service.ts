import type { Db, Engine } from '../../../db/database.js'
import { assertCan, type Actor, actorName } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { forbidden, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { idBody } from '../../../shared/ids.js'
import { assertInScope, homeStoreId, isChainWide, scopeOf, scopeWithFilter } from '../../../shared/scope.js'
import { dateIn } from '../../../shared/time.js'
import type { AuditService } from '../../audit/index.js'
import type { Condition } from '../conditions/condition.js'
import { assertKnownIds, parseCondition, referencedIds } from '../conditions/conditions.js'
import { countMatching, type CompileContext } from '../conditions/conditions.repository.js'
import { describeCondition } from '../conditions/describe.js'
import type { SegmentMember } from './segment-export.js'
import * as repo from './segments.repository.js'
import type { SegmentsTable, SegmentSnapshotsTable } from './segments.table.js'

export interface SegmentView {
  id: string
  name: string
  description: string | null
  definition: Condition
  /** the definition in words, zh-CN and en-US */
  summaryZh: string
  summaryEn: string
  /** a store's segment covers that store's members only; null = the chain */
  storeId: string | null
  status: 'active' | 'archived'
  createdBy: string | null
  createdAt: string
  updatedAt: string
  snapshots: number
  lastSnapshotCount: number | null
  lastSnapshotAt: string | null
}

export interface SnapshotView {
  id: string
  segmentId: string
  asOf: string
  memberCount: number
  definition: Condition
  createdBy: string | null
  createdAt: string
}

export interface MemberPage { items: SegmentMember[]; nextCursor: string | null }
export interface CountResult { count: number; asOf: string }
export interface CompareResult {
  from: SnapshotView
  to: SnapshotView
  joined: number
  left: number
  stayed: number
  list: repo.CompareList
  items: SegmentMember[]
  nextCursor: string | null
}

/** What the coupon issue reports (rewards' bulk issue, summed over its runs). */
export interface SegmentIssueResult {
  templateId: string
  issueKey: string
  runs: string[]
  total: number
  issued: number
  skipped: number
  failed: number
}

/** The coupons service's bulk issue, handed in by services.ts (analytics does not import rewards). */
export type IssueBulk = (actor: Actor, input: { templateId: string; issueKey: string; keys: string[]; sourceName?: string }) =>
  Promise<{ id: string; total: number; issued: number; skipped: number; failed: number }>

export interface SegmentsDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  issueBulk?: IssueBulk
}

export interface SegmentInput {
  name?: string
  description?: string | null
  definition?: unknown
}

const PAGE = 50
/** Members handed to one bulk issue run (it takes at most 200,000). */
const ISSUE_BATCH = 50_000

const toSnapshot = (r: SegmentSnapshotsTable): SnapshotView => ({
  id: r.id, segmentId: r.segment_id, asOf: r.as_of, memberCount: Number(r.member_count), definition: JSON.parse(r.definition) as Condition,
  createdBy: r.created_by, createdAt: r.created_at,
})

const toMember = (r: repo.MemberPageRow, stores: Map<string, { code: string; name: string }>): SegmentMember => {
  const store = r.registration_store_id ? stores.get(r.registration_store_id) : undefined
  return {
    id: r.id, cardNo: r.card_no, name: r.name_masked, phone: r.phone_masked, gender: r.gender,
    storeCode: store?.code ?? null, storeName: store?.name ?? null, tier: r.tier_code ?? null, tierName: r.tier_name ?? null,
    spendW: Number(r.spend_w ?? 0), receiptsW: Number(r.receipts_w ?? 0), lastPurchaseAt: r.last_purchase_at ?? null,
    rfmClass: r.rfm_class ?? null, lifecycle: r.lifecycle ?? null,
  }
}

const limitOf = (limit: number | undefined) => Math.min(Math.max(limit ?? PAGE, 1), 200)

export const createSegmentsService = ({ db, engine, audit, clock, timezone, issueBulk }: SegmentsDeps) => {
  const now = () => clock.now().toISOString()
  const ctx = (): CompileContext => ({ asOf: dateIn(clock.now(), timezone), engine, timezone })

  /** The registration stores a segment's members come from: the segment's store, else the actor's scope (null = every store). */
  const storesFor = (actor: Actor, segmentStore: string | null): readonly string[] | null => {
    if (segmentStore) return [segmentStore]
    const scope = scopeOf(actor)
    return scope.kind === 'chain' ? null : scope.storeIds
  }

  /** Parses a definition and checks the ids it names exist. */
  const checkDefinition = async (input: unknown): Promise<Condition> => {
    const c = parseCondition(input, 'definition')
    const refs = referencedIds(c, 'definition')
    assertKnownIds(refs.tags, await repo.existingIds(db, 'tags', refs.tags.map((r) => r.id)), 'tag')
    assertKnownIds(refs.stores, await repo.existingIds(db, 'stores', refs.stores.map((r) => r.id)), 'store')
    assertKnownIds(refs.tiers, await repo.existingIds(db, 'tiers', refs.tiers.map((r) => r.id)), 'tier')
    assertKnownIds(refs.templates, await repo.existingIds(db, 'templates', refs.templates.map((r) => r.id)), 'coupon template')
    return c
  }

  const namesFor = (c: Condition) => {
    const refs = referencedIds(c)
    return repo.namesOf(db, {
      tags: refs.tags.map((r) => r.id), stores: refs.stores.map((r) => r.id), tiers: refs.tiers.map((r) => r.id), templates: refs.templates.map((r) => r.id),
    })
  }

  const wordsOf = async (c: Condition) => {
    const names = await namesFor(c)
    return { summaryZh: describeCondition(c, 'zh-CN', names), summaryEn: describeCondition(c, 'en-US', names) }
  }

  const toView = async (r: SegmentsTable & { snapshots?: number | null; last_count?: number | null; last_snapshot_at?: string | null }): Promise<SegmentView> => {
    const definition = JSON.parse(r.definition) as Condition
    return {
      id: r.id, name: r.name, description: r.description, definition, ...(await wordsOf(definition)), storeId: r.store_id, status: r.status,
      createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, snapshots: Number(r.snapshots ?? 0),
      lastSnapshotCount: r.last_count === null || r.last_count === undefined ? null : Number(r.last_count), lastSnapshotAt: r.last_snapshot_at ?? null,
    }
  }

  /** A segment the actor may see: 404 if there is none, 403 if it is another store's (or the chain's, for a store role). */
  const load = async (actor: Actor, id: string) => {
    const row = await repo.findSegment(db, id)
    if (!row) throw notFound('SEGMENT_NOT_FOUND', [{ field: 'id', reason: 'no such segment' }])
    assertInScope(actor, row.store_id, 'segment')
    return row
  }

  const loadSnapshot = async (segmentId: string, snapshotId: string, field = 'snapshotId') => {
    const s = await repo.findSnapshot(db, snapshotId)
    if (!s || s.segment_id !== segmentId) throw notFound('SEGMENT_SNAPSHOT_NOT_FOUND', [{ field, reason: 'no such snapshot of this segment' }])
    return s
  }

  const validateText = (input: SegmentInput, creating: boolean) => {
    const details: ErrorDetail[] = []
    const name = typeof input.name === 'string' ? input.name.trim() : undefined
    if ((creating || input.name !== undefined) && (!name || name.length > 100)) details.push({ field: 'name', reason: '1 to 100 characters' })
    const description = typeof input.description === 'string' ? input.description.trim() || null : input.description === null ? null : undefined
    if (description && description.length > 500) details.push({ field: 'description', reason: 'at most 500 characters' })
    if (creating && input.definition === undefined) details.push({ field: 'definition', reason: 'is required' })
    if (details.length) throw unprocessable('VALIDATION', details)
    return { name, description }
  }

  const pageOf = async (rows: repo.MemberPageRow[], limit: number): Promise<MemberPage> => {
    const stores = await repo.storesByIds(db, rows.flatMap((r) => (r.registration_store_id ? [r.registration_store_id] : [])))
    return { items: rows.map((r) => toMember(r, stores)), nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null }
  }

  const takeSnapshot = async (actor: Actor, row: SegmentsTable): Promise<SnapshotView> => {
    const c = ctx()
    const definition = JSON.parse(row.definition) as Condition
    const snap: SegmentSnapshotsTable = {
      id: `snp_${idBody()}`, segment_id: row.id, definition: row.definition, as_of: c.asOf, member_count: 0, created_by: actorName(actor), created_at: now(),
    }
    return db.transaction().execute(async (trx) => {
      await repo.insertSnapshot(trx, snap)
      const count = await repo.fillSnapshot(trx, snap.id, definition, c, storesFor(actor, row.store_id))
      await repo.setSnapshotCount(trx, snap.id, count)
      await audit.record(trx, actor, { action: 'segment.snapshot', entityType: 'segment', entityId: row.id, storeId: row.store_id, changes: { members: count, asOf: c.asOf } })
      return toSnapshot({ ...snap, member_count: count })
    })
  }

  return {
    async list(actor: Actor, filter: { status?: 'active' | 'archived' } = {}): Promise<SegmentView[]> {
      assertCan(actor, 'insight.read')
      const scope = scopeOf(actor)
      const rows = await repo.listSegments(db, { storeIds: scope.kind === 'chain' ? null : scope.storeIds, status: filter.status ?? 'active' })
      return Promise.all(rows.map((r) => toView(r)))
    },

    async get(actor: Actor, id: string): Promise<SegmentView> {
      assertCan(actor, 'insight.read')
      await load(actor, id)
      return toView((await repo.findSegmentWithSnapshots(db, id))!)
    },

    /** A new segment (dynamic: its members are found again each time it is used); `snapshot` also freezes today's list. */
    async create(actor: Actor, input: SegmentInput & { snapshot?: boolean }): Promise<SegmentView & { snapshot: SnapshotView | null }> {
      assertCan(actor, 'segments.manage')
      const { name, description } = validateText(input, true)
      const definition = await checkDefinition(input.definition)
      // A store's segment is its store's; HQ's the chain's (a region's segments would need a region of their own).
      const storeId = homeStoreId(actor)
      if (storeId === '' || (storeId === null && !isChainWide(actor))) throw forbidden('OUT_OF_STORE_SCOPE', [], 'segments are built by HQ or for one store')
      const at = now()
      const row: SegmentsTable = {
        id: `seg_${idBody()}`, name: name!, description: description ?? null, definition: JSON.stringify(definition), store_id: storeId,
        status: 'active', created_by: actorName(actor), created_at: at, updated_at: at,
      }
      const segmentRule = describeCondition(definition, 'zh-CN', await namesFor(definition))
      await db.transaction().execute(async (trx) => {
        await repo.insertSegment(trx, row)
        await audit.record(trx, actor, { action: 'segment.create', entityType: 'segment', entityId: row.id, storeId, changes: { name: row.name, segmentRule } })
      })
      const snapshot = input.snapshot ? await takeSnapshot(actor, row) : null
      return { ...(await this.get(actor, row.id)), snapshot }
    },

    async update(actor: Actor, id: string, input: SegmentInput): Promise<SegmentView> {
      assertCan(actor, 'segments.manage')
      const row = await load(actor, id)
      const { name, description } = validateText(input, false)
      const changes: Partial<SegmentsTable> = {}
      if (name !== undefined && name !== row.name) changes.name = name
      if (description !== undefined && description !== row.description) changes.description = description
      if (input.definition !== undefined) {
        const definition = JSON.stringify(await checkDefinition(input.definition))
        if (definition !== row.definition) changes.definition = definition
      }
      if (Object.keys(changes).length > 0) {
        const words = { before: '', after: '' }
        if (changes.definition) {
          const [before, after] = [JSON.parse(row.definition) as Condition, JSON.parse(changes.definition) as Condition]
          words.before = describeCondition(before, 'zh-CN', await namesFor(before))
          words.after = describeCondition(after, 'zh-CN', await namesFor(after))
        }
        await db.transaction().execute(async (trx) => {
          await repo.updateSegment(trx, id, { ...changes, updated_at: now() })
          await audit.record(trx, actor, {
            action: 'segment.update', entityType: 'segment', entityId: id, storeId: row.store_id,
            changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => (k === 'definition'
              ? ['segmentRule', { from: words.before, to: words.after }]
              : [k, { from: row[k as keyof SegmentsTable], to: v }]))),
          })
        })
      }
      return this.get(actor, id)
    },

    /** Archives a segment: it leaves the list, its snapshots stay. */
    async archive(actor: Actor, id: string, archived = true): Promise<SegmentView> {
      assertCan(actor, 'segments.manage')
      const row = await load(actor, id)
      const status = archived ? 'archived' : 'active'
      if (row.status !== status) {
        await db.transaction().execute(async (trx) => {
          await repo.updateSegment(trx, id, { status, updated_at: now() })
          await audit.record(trx, actor, { action: 'segment.archive', entityType: 'segment', entityId: id, storeId: row.store_id, changes: { archived: { from: row.status === 'archived', to: archived } } })
        })
      }
      return this.get(actor, id)
    },

    /** How many live members a definition matches now (a store role: of their store). */
    async count(actor: Actor, definition: unknown): Promise<CountResult> {
      assertCan(actor, 'insight.read')
      const c = await checkDefinition(definition)
      const context = ctx()
      return { count: await countMatching(db, c, context, storesFor(actor, null)), asOf: context.asOf }
    },

    /**
     * How many members the segment has now, or as of an earlier date (windows end then; the
     * figures are the last refresh's), optionally of one store (a chain segment narrowed).
     */
    async countSegment(actor: Actor, id: string, options: { asOf?: string; storeId?: string } = {}): Promise<CountResult> {
      assertCan(actor, 'insight.read')
      const row = await load(actor, id)
      const context = ctx()
      if (options.asOf !== undefined) {
        const parsed = new Date(`${options.asOf}T00:00:00Z`)
        if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== options.asOf) {
          throw unprocessable('VALIDATION', [{ field: 'asOf', reason: 'a date YYYY-MM-DD' }])
        }
        context.asOf = options.asOf
      }
      let stores = storesFor(actor, row.store_id)
      if (options.storeId) {
        const filter = scopeWithFilter(actor, options.storeId)
        const wanted = filter.kind === 'stores' ? filter.storeIds : []
        stores = stores === null ? wanted : stores.filter((s) => wanted.includes(s))
      }
      return { count: await countMatching(db, JSON.parse(row.definition) as Condition, context, stores), asOf: context.asOf }
    },

    /** A page of the members a definition matches (masked), by id. */
    async preview(actor: Actor, definition: unknown, page: { cursor?: string; limit?: number } = {}): Promise<MemberPage> {
      assertCan(actor, 'insight.read')
      const c = await checkDefinition(definition)
      const limit = limitOf(page.limit)
      return pageOf(await repo.matchingPage(db, c, ctx(), storesFor(actor, null), { after: page.cursor ?? null, limit }), limit)
    },

    async members(actor: Actor, id: string, page: { cursor?: string; limit?: number } = {}): Promise<MemberPage> {
      assertCan(actor, 'insight.read')
      const row = await load(actor, id)
      const limit = limitOf(page.limit)
      return pageOf(await repo.matchingPage(db, JSON.parse(row.definition) as Condition, ctx(), storesFor(actor, row.store_id), { after: page.cursor ?? null, limit }), limit)
    },

    /** Freezes the segment's members now, with the date and the definition used. */
    async snapshot(actor: Actor, id: string): Promise<SnapshotView> {
      assertCan(actor, 'segments.manage')
      return takeSnapshot(actor, await load(actor, id))
    },

    async snapshots(actor: Actor, id: string): Promise<SnapshotView[]> {
      assertCan(actor, 'insight.read')
      await load(actor, id)
      return (await repo.listSnapshots(db, id)).map(toSnapshot)
    },

    async snapshotMembers(actor: Actor, id: string, snapshotId: string, page: { cursor?: string; limit?: number } = {}): Promise<MemberPage> {
      assertCan(actor, 'insight.read')
      await load(actor, id)
      await loadSnapshot(id, snapshotId)
      const limit = limitOf(page.limit)
      return pageOf(await repo.snapshotPage(db, snapshotId, { after: page.cursor ?? null, limit }), limit)
    },

    /** Who joined (in `to`, not `from`), left and stayed between two snapshots, with a page of one list. */
    async compare(actor: Actor, id: string, q: { from: string; to: string; list?: repo.CompareList; cursor?: string; limit?: number }): Promise<CompareResult> {
      assertCan(actor, 'insight.read')
      await load(actor, id)
      const [from, to] = [await loadSnapshot(id, q.from, 'from'), await loadSnapshot(id, q.to, 'to')]
      const list = q.list ?? 'joined'
      const limit = limitOf(q.limit)
      const counts = await repo.compareCounts(db, from.id, to.id)
      const page = await pageOf(await repo.comparePage(db, from.id, to.id, list, { after: q.cursor ?? null, limit }), limit)
      return { from: toSnapshot(from), to: toSnapshot(to), ...counts, list, ...page }
    },

    /**
     * The members of a segment (now, or of a snapshot) for an export, masked, a page at a time;
     * HQ only, audited before the first row is read.
     */
    async exportRows(actor: Actor, id: string, q: { snapshotId?: string; format: 'csv' | 'xlsx' }): Promise<AsyncIterable<SegmentMember>> {
      assertCan(actor, 'segments.export')
      if (!isChainWide(actor)) throw forbidden('FORBIDDEN', [], 'only HQ exports segments')
      const row = await load(actor, id)
      const snapshot = q.snapshotId ? await loadSnapshot(id, q.snapshotId) : null
      const definition = JSON.parse(row.definition) as Condition
      const context = ctx()
      const stores = storesFor(actor, row.store_id)
      await audit.record(db, actor, {
        action: 'segment.export', entityType: 'segment', entityId: id, storeId: row.store_id,
        changes: { format: q.format.toUpperCase(), asOf: snapshot ? snapshot.as_of : context.asOf, snapshot: snapshot !== null },
      })
      return (async function* () {
        let after: string | null = null
        for (;;) {
          const rows: repo.MemberPageRow[] = q.snapshotId
            ? await repo.snapshotPage(db, q.snapshotId, { after, limit: 500 })
            : await repo.matchingPage(db, definition, context, stores, { after, limit: 500 })
          const names = await repo.storesByIds(db, rows.flatMap((r) => (r.registration_store_id ? [r.registration_store_id] : [])))
          for (const r of rows) yield toMember(r, names)
          if (rows.length < 500) return
          after = rows[rows.length - 1]!.id
          // A turn for the requests that queued while this page was read.
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
      })()
    },

    /**
     * Issues a coupon template to the segment's members (now, or a snapshot's) through rewards'
     * bulk issue, under one issue key per segment: a member gets one coupon of a template per
     * segment however often it is run (from the segment or any of its snapshots).
     */
    async issueCoupons(actor: Actor, id: string, input: { templateId: string; snapshotId?: string }): Promise<SegmentIssueResult> {
      assertCan(actor, 'rewards.issue')
      if (!issueBulk) throw new Error('segments: the coupon issue is not wired')
      const row = await load(actor, id)
      if (input.snapshotId) await loadSnapshot(id, input.snapshotId)
      if ((await repo.existingIds(db, 'templates', [input.templateId])).size === 0) {
        throw notFound('COUPON_TEMPLATE_NOT_FOUND', [{ field: 'templateId', reason: 'no such coupon template' }])
      }
      const definition = JSON.parse(row.definition) as Condition
      const context = ctx()
      const stores = storesFor(actor, row.store_id)
      const issueKey = `segment:${id}`
      const result: SegmentIssueResult = { templateId: input.templateId, issueKey, runs: [], total: 0, issued: 0, skipped: 0, failed: 0 }
      let after: string | null = null
      for (;;) {
        const ids: string[] = input.snapshotId
          ? await repo.snapshotIds(db, input.snapshotId, { after, limit: ISSUE_BATCH })
          : await repo.matchingIds(db, definition, context, stores, { after, limit: ISSUE_BATCH })
        if (ids.length === 0) break
        const run = await issueBulk(actor, { templateId: input.templateId, issueKey, keys: ids, sourceName: `segment ${row.name}` })
        result.runs.push(run.id)
        result.total += run.total
        result.issued += run.issued
        result.skipped += run.skipped
        result.failed += run.failed
        if (ids.length < ISSUE_BATCH) break
        after = ids[ids.length - 1]!
      }
      return result
    },
  }
}

export type SegmentsService = ReturnType<typeof createSegmentsService>
