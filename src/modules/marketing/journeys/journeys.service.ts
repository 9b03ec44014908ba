import { LIFECYCLE_STAGES, tagsById } from '../../analytics/index.js'
import { assertLive, memberSummaries } from '../../members/index.js'
import type { Db, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import { conflict, DomainError, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { dateIn } from '../../../shared/time.js'
import { createJourneyEngine } from './journey-engine.js'
import { activationProblems, parseDefinition, referencesOf, type Definition, type Step, type Trigger } from './journey-rules.js'
import * as repo from './journeys.repository.js'
import type { EnrolmentStatus, JourneysTable, JourneyStatus, JourneyVersionsTable, StepOutcome } from './journeys.table.js'
import type {
  JourneyDetail, JourneyInput, JourneyMemberView, JourneysDeps, JourneyView, MemberCounts, MemberJourneyView, StepStats, VersionView,
} from './journeys.types.js'

const zero = (): MemberCounts => ({ active: 0, done: 0, exited: 0 })
const definitionOf = (v: JourneyVersionsTable): Definition => ({ trigger: JSON.parse(v.trigger) as Trigger, steps: JSON.parse(v.steps) as Step[] })

/**
 * Journeys (issue 15 §4): a trigger takes members in, steps (waits, conditions, messages, coupons,
 * tags) take them through. Editing an active journey makes a new version; members inside finish
 * the version they entered. The workers' side is the engine (journey-engine.ts).
 */
export const createJourneysService = (deps: JourneysDeps) => {
  const { db, clock, timezone, audit } = deps
  const now = () => clock.now().toISOString()
  const engine = createJourneyEngine(deps)

  const notFoundError = () => notFound('JOURNEY_NOT_FOUND', [{ field: 'id', reason: 'no such journey' }])
  const load = async (conn: Db | Trx, id: string) => {
    const r = await repo.findJourney(conn, id)
    if (!r) throw notFoundError()
    return r
  }
  const revisionError = () => conflict('JOURNEY_REVISION', [{ field: 'revision', reason: 'the journey changed since you read it; reload it' }])
  const statusError = (status: JourneyStatus, action: string) => conflict('JOURNEY_STATUS', [{ field: 'status', reason: `a ${status} journey cannot be ${action}` }])
  const nameTaken = () => conflict('JOURNEY_NAME_TAKEN', [{ field: 'name', reason: 'another journey has this name' }])

  const textProblems = (name: string, description: string | null): ErrorDetail[] => {
    const out: ErrorDetail[] = []
    if (name.length === 0 || name.length > 100) out.push({ field: 'name', reason: 'from 1 to 100 characters' })
    if (description !== null && description.length > 1000) out.push({ field: 'description', reason: 'at most 1000 characters' })
    return out
  }

  /**
   * A definition checked whole: its own rules, then what it names — templates of the channel,
   * active and for marketing; coupon templates active; tags active (a tag step's manual);
   * segments; the tier. Every problem at once, with its field.
   */
  const check = async (actor: Actor, input: { name: string; description: string | null; trigger: unknown; steps: unknown }, activating = false): Promise<Definition> => {
    const parsed = parseDefinition(input, LIFECYCLE_STAGES)
    const problems = [...textProblems(input.name, input.description), ...parsed.problems]
    const d = parsed.definition
    if (d) {
      if (activating) problems.push(...activationProblems(d, dateIn(clock.now(), timezone)))
      const refs = referencesOf(d)
      const named = async <T>(field: string, fn: () => Promise<T>): Promise<T | null> => {
        try {
          return await fn()
        } catch (e) {
          if (e instanceof DomainError && (e.status === 404 || e.status === 422)) { problems.push({ field, reason: 'not found' }); return null }
          throw e
        }
      }
      for (const r of refs.templates) {
        const t = await named(r.field, () => deps.template(actor, r.id))
        if (!t) continue
        if (t.channel !== r.channel) problems.push({ field: r.field, reason: `a ${t.channel} template` })
        else if (t.status !== 'active') problems.push({ field: r.field, reason: 'the template is archived' })
        else if (t.purpose !== 'marketing') problems.push({ field: r.field, reason: 'a service template: a journey sends marketing' })
      }
      for (const r of refs.couponTemplates) {
        const c = await named(r.field, () => deps.couponTemplate(actor, r.id))
        if (c && c.status !== 'active') problems.push({ field: r.field, reason: `the coupon template is ${c.status}` })
      }
      const tags = await tagsById(db, refs.tags.map((r) => r.id))
      for (const r of refs.tags) {
        const tag = tags.get(r.id)
        if (!tag) problems.push({ field: r.field, reason: 'not found' })
        else if (tag.status !== 'active') problems.push({ field: r.field, reason: 'the tag is archived' })
        else if (r.manual && tag.kind !== 'manual') problems.push({ field: r.field, reason: 'a rule tag follows its rule: a step adds or removes manual tags only' })
      }
      for (const r of refs.segments) {
        const s = await named(r.field, () => deps.segment(actor, r.id))
        if (s && s.status !== 'active') problems.push({ field: r.field, reason: 'the segment is archived' })
      }
      if (refs.tierCode && !(await deps.tierCodes()).includes(refs.tierCode)) problems.push({ field: 'trigger.tierCode', reason: 'no such tier' })
    }
    if (problems.length || !d) throw unprocessable('JOURNEY_INVALID', problems)
    return d
  }

  const countsOf = async (ids: string[]) => {
    const rows = await repo.memberCounts(db, ids)
    const out = new Map<string, MemberCounts>()
    for (const r of rows) {
      const c = out.get(r.journeyId) ?? zero()
      c[r.status] += r.n
      out.set(r.journeyId, c)
    }
    return { rows, totals: out }
  }

  const toView = (r: JourneysTable, v: JourneyVersionsTable, members: MemberCounts): JourneyView => ({
    id: r.id, name: r.name, description: r.description, status: r.status, version: Number(r.version), revision: Number(r.revision), ...definitionOf(v),
    activeSince: r.active_since, createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at, members,
  })

  const viewOf = async (id: string): Promise<JourneyView> => {
    const r = await load(db, id)
    const v = (await repo.findVersion(db, id, Number(r.version)))!
    return toView(r, v, (await countsOf([id])).totals.get(id) ?? zero())
  }

  // ---- management ------------------------------------------------------------------------------
  const create = async (actor: Actor, input: JourneyInput): Promise<JourneyView> => {
    assertCan(actor, 'marketing.manage')
    const name = (input.name ?? '').trim()
    const description = input.description?.trim() || null
    const d = await check(actor, { name, description, trigger: input.trigger, steps: input.steps })
    const at = now()
    const by = actorStaffId(actor)
    const row: JourneysTable = {
      id: newId('jny'), name, description, status: 'draft', version: 1, trigger_type: d.trigger.type, revision: 1, active_since: null,
      created_by: by, created_at: at, updated_by: by, updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      if (await repo.findJourneyByName(trx, name)) throw nameTaken()
      await repo.insertJourney(trx, row)
      await repo.insertVersion(trx, { journey_id: row.id, version: 1, trigger: JSON.stringify(d.trigger), steps: JSON.stringify(d.steps), created_by: by, created_at: at })
      await audit.record(trx, actor, { action: 'journey.create', entityType: 'journey', entityId: row.id, changes: { name, trigger: d.trigger.type, stepCount: d.steps.length } })
    })
    return viewOf(row.id)
  }

  /**
   * Changes a journey, from the revision read. A draft's definition is replaced; an active or
   * paused journey's makes a new version, which members enter from now on, while those inside
   * finish the version they entered. An archived journey does not change.
   */
  const update = async (actor: Actor, id: string, patch: Partial<JourneyInput> & { revision: number }): Promise<JourneyView> => {
    assertCan(actor, 'marketing.manage')
    const before = await load(db, id)
    if (before.status === 'archived') throw statusError(before.status, 'changed')
    const current = (await repo.findVersion(db, id, Number(before.version)))!
    const old = definitionOf(current)
    const name = patch.name !== undefined ? patch.name.trim() : before.name
    const description = patch.description !== undefined ? patch.description?.trim() || null : before.description
    // An active journey's new trigger must be one that can still happen (a date not past).
    const d = await check(actor, { name, description, trigger: patch.trigger ?? old.trigger, steps: patch.steps ?? old.steps }, before.status === 'active' && patch.trigger !== undefined)
    const definitionChanged = JSON.stringify(d) !== JSON.stringify(old)
    const fields = [
      ...(name !== before.name ? ['name'] : []), ...(description !== before.description ? ['description'] : []),
      ...(JSON.stringify(d.trigger) !== JSON.stringify(old.trigger) ? ['trigger'] : []), ...(JSON.stringify(d.steps) !== JSON.stringify(old.steps) ? ['steps'] : []),
    ]
    const newVersion = definitionChanged && before.status !== 'draft'
    const version = Number(before.version) + (newVersion ? 1 : 0)
    const at = now()
    const by = actorStaffId(actor)
    await db.transaction().execute(async (trx) => {
      if (name !== before.name) {
        const other = await repo.findJourneyByName(trx, name)
        if (other && other.id !== id) throw nameTaken()
      }
      const changes: Partial<JourneysTable> = { name, description, version, trigger_type: d.trigger.type, updated_by: by, updated_at: at }
      if (!(await repo.updateJourney(trx, id, patch.revision, changes, [before.status]))) throw revisionError()
      const definition = { trigger: JSON.stringify(d.trigger), steps: JSON.stringify(d.steps) }
      if (newVersion) await repo.insertVersion(trx, { journey_id: id, version, ...definition, created_by: by, created_at: at })
      else if (definitionChanged) await repo.updateVersion(trx, id, version, { ...definition, created_by: by, created_at: at })
      await audit.record(trx, actor, {
        action: 'journey.update', entityType: 'journey', entityId: id,
        changes: { fields, ...(newVersion ? { journeyVersion: { from: version - 1, to: version } } : {}) },
      })
    })
    return viewOf(id)
  }

  const setStatus = async (actor: Actor, id: string, action: 'activate' | 'pause' | 'archive'): Promise<JourneyView> => {
    assertCan(actor, 'marketing.manage')
    const r = await load(db, id)
    const from: Record<typeof action, JourneyStatus[]> = { activate: ['draft', 'paused'], pause: ['active'], archive: ['draft', 'active', 'paused'] }
    const to: JourneyStatus = action === 'activate' ? 'active' : action === 'pause' ? 'paused' : 'archived'
    if (!from[action].includes(r.status)) throw statusError(r.status, action === 'activate' ? 'activated' : action === 'pause' ? 'paused' : 'archived')
    if (action === 'activate') {
      // What it names may have been archived since it was written; a date may have passed.
      const v = (await repo.findVersion(db, id, Number(r.version)))!
      await check(actor, { name: r.name, description: r.description, ...definitionOf(v) }, true)
    }
    await db.transaction().execute(async (trx) => {
      const at = now()
      const changes: Partial<JourneysTable> = { status: to, updated_by: actorStaffId(actor), updated_at: at, ...(action === 'activate' ? { active_since: at } : {}) }
      if (!(await repo.updateJourney(trx, id, Number(r.revision), changes, [r.status]))) throw revisionError()
      const exited = action === 'archive' ? await repo.exitAll(trx, id, 'archived', at) : 0
      await audit.record(trx, actor, {
        action: action === 'activate' ? 'journey.activate' : action === 'pause' ? 'journey.pause' : 'journey.archive', entityType: 'journey', entityId: id,
        changes: { status: { from: r.status, to }, ...(action === 'activate' ? { journeyVersion: Number(r.version) } : {}), ...(exited ? { exitedMembers: exited } : {}) },
      })
    })
    return viewOf(id)
  }

  // ---- reads -----------------------------------------------------------------------------------
  const list = async (actor: Actor, q: { status?: JourneyStatus; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'marketing.read')
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await repo.listJourneys(db, { status: q.status, limit: limit + 1, before: q.cursor })
    const page = rows.slice(0, limit)
    const { totals } = await countsOf(page.map((r) => r.id))
    const items = await Promise.all(page.map(async (r) => toView(r, (await repo.findVersion(db, r.id, Number(r.version)))!, totals.get(r.id) ?? zero())))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  /** A journey with each version and, per step, the members waiting there, those who passed it, those who left there, and what it did. */
  const get = async (actor: Actor, id: string): Promise<JourneyDetail> => {
    assertCan(actor, 'marketing.read')
    const r = await load(db, id)
    const [versions, { rows }, outcomes] = await Promise.all([repo.versionsOf(db, id), countsOf([id]), repo.outcomeCounts(db, id)])
    const views: VersionView[] = versions.map((v) => {
      const d = definitionOf(v)
      const members = zero()
      const stats: StepStats[] = d.steps.map((s, index) => ({ index, type: s.type, at: 0, done: 0, exited: 0, outcomes: {} }))
      for (const x of rows.filter((y) => y.version === Number(v.version))) {
        members[x.status] += x.n
        const st = stats[x.step]
        if (st && x.status === 'active') st.at += x.n
        if (st && x.status === 'exited') st.exited += x.n
      }
      for (const o of outcomes.filter((y) => y.version === Number(v.version))) {
        const st = stats[o.step]
        if (!st) continue
        st.done += o.n
        if (o.outcome) st.outcomes[o.outcome as StepOutcome] = (st.outcomes[o.outcome as StepOutcome] ?? 0) + o.n
      }
      return { version: Number(v.version), ...d, createdBy: v.created_by, createdAt: v.created_at, members, stats }
    })
    const total = zero()
    for (const v of views) for (const k of ['active', 'done', 'exited'] as const) total[k] += v.members[k]
    const current = versions.find((v) => Number(v.version) === Number(r.version))!
    return { ...toView(r, current, total), versions: views }
  }

  /** The members inside a journey (or who were), by enrolment, with masked names. */
  const members = async (actor: Actor, id: string, q: { status?: EnrolmentStatus; version?: number; step?: number; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'marketing.read')
    await load(db, id)
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200)
    const rows = await repo.membersPage(db, id, { after: q.cursor, limit, status: q.status, version: q.version, step: q.step })
    const names = await memberSummaries(db, rows.map((x) => x.member_id))
    const items: JourneyMemberView[] = rows.map((x) => ({
      enrolmentId: x.id, memberId: x.member_id, cardNo: names.get(x.member_id)?.cardNo ?? null, name: names.get(x.member_id)?.nameMasked ?? null,
      version: Number(x.version), occurrence: x.occurrence, step: Number(x.current_step), status: x.status, exitReason: x.exit_reason, nextAt: x.next_at,
      enteredAt: x.entered_at, updatedAt: x.updated_at,
    }))
    return { items, nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null }
  }

  /** A member's journeys: the version entered, where they are, what each step did, and when. */
  const ofMember = async (actor: Actor, memberId: string): Promise<MemberJourneyView[]> => {
    assertCan(actor, 'marketing.read')
    await assertLive(db, memberId)
    const rows = await repo.enrolmentsOfMember(db, memberId, 100)
    const log = await repo.stepsOf(db, rows.map((x) => x.id))
    const out: MemberJourneyView[] = []
    for (const x of rows) {
      const v = await repo.findVersion(db, x.journey_id, Number(x.version))
      const steps = v ? definitionOf(v).steps : []
      out.push({
        enrolmentId: x.id, journeyId: x.journey_id, name: x.name, version: Number(x.version), occurrence: x.occurrence, step: Number(x.current_step),
        stepType: steps[Number(x.current_step)]?.type ?? null, status: x.status, exitReason: x.exit_reason, nextAt: x.next_at, enteredAt: x.entered_at, updatedAt: x.updated_at,
        steps: log.filter((l) => l.enrolment_id === x.id && l.status === 'done').map((l) => ({
          index: Number(l.step_index), type: l.step_type, outcome: l.outcome, doneAt: l.done_at, channel: l.channel, messageId: l.message_id, couponId: l.coupon_id,
        })),
      })
    }
    return out
  }

  return {
    create, update,
    activate: (actor: Actor, id: string) => setStatus(actor, id, 'activate'),
    pause: (actor: Actor, id: string) => setStatus(actor, id, 'pause'),
    archive: (actor: Actor, id: string) => setStatus(actor, id, 'archive'),
    list, get, members, ofMember,
    /** the workers' side (journeys.jobs.ts) */
    ...engine,
  }
}

export type JourneysService = ReturnType<typeof createJourneysService>
