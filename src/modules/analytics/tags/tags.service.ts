import type { Db, Engine, Trx } from '../../../db/database.js'
import { isUniqueViolation } from '../../../db/errors.js'
import { actorStaffId, assertCan, type Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { assertInScope, scopeOf, scopeWithFilter } from '../../../shared/scope.js'
import { dateIn } from '../../../shared/time.js'
import type { AuditLabels, AuditService } from '../../audit/index.js'
import { storeNamesByIds } from '../../org/index.js'
import type { Condition } from '../conditions/condition.js'
import { assertKnownIds, parseCondition, referencedIds } from '../conditions/conditions.js'
import { countMatching, addDays, type CompileContext } from '../conditions/conditions.repository.js'
import { describeCondition, type IdNames } from '../conditions/describe.js'
import { evaluateTag } from './tag-evaluation.js'
import { evaluationOrder, renderReason, tagsNamedBy } from './tag-reasons.js'
import * as repo from './tags.repository.js'
import type { TagKind, TagsTable } from './tags.table.js'
import { TAG_COLORS, toTag, type Tag, type TagInput, type TagUpdate, type Words } from './tags.types.js'

export interface TagsDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
}

export interface TagSummary extends Tag {
  /** the rule in words */
  ruleText: Words | null
  /** members holding it now (store roles: of their store) */
  members: number
  /** members after each full refresh of the last days (store roles: of their store) */
  trend: Array<{ day: string; members: number }>
}

export interface MemberTag {
  tagId: string
  name: string
  color: string | null
  kind: TagKind
  source: TagKind
  reason: Words
  since: string
  addedBy: string | null
}

export interface TagEvent {
  id: string
  tagId: string
  name: string
  color: string | null
  event: 'added' | 'removed'
  source: TagKind
  reason: Words | null
  at: string
  by: string | null
}

export interface RuleTest {
  asOf: string
  count: number
  ruleText: Words
  sample: Array<{ memberId: string; cardNo: string; name: string | null; phone: string | null; reason: Words }>
}

const TREND_DAYS = 30
const SAMPLE_SIZE = 20
const COLOR = /^#[0-9a-fA-F]{6}$/

const tagNotFound = () => notFound('TAG_NOT_FOUND', [], 'no such tag')
const memberNotFound = () => notFound('MEMBER_NOT_FOUND', [], 'no such member')

/** The store ids a store role's figures are narrowed to, or null for the chain. */
const storesOf = (actor: Actor): readonly string[] | null => {
  const scope = scopeOf(actor)
  return scope.kind === 'chain' ? null : scope.storeIds
}

export const createTagsService = ({ db, engine, audit, clock, timezone }: TagsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)
  /** Rules are evaluated as of the insight figures' date (the latest refresh), else today. */
  const asOfNow = async (conn: Db | Trx) => (await repo.latestInsightAsOf(conn)) ?? today()
  const ctxOf = (asOf: string): CompileContext => ({ asOf, engine, timezone })

  /** Names of the tags and stores some rules mention, for their words. */
  const namesFor = async (conn: Db | Trx, rules: ReadonlyArray<Condition | null>): Promise<IdNames> => {
    const tagIds: string[] = []
    const storeIds: string[] = []
    for (const rule of rules) {
      if (!rule) continue
      const refs = referencedIds(rule, 'rule')
      tagIds.push(...refs.tags.map((r) => r.id))
      storeIds.push(...refs.stores.map((r) => r.id))
    }
    const names: Record<string, string> = {}
    for (const t of await repo.findTagNamesByIds(conn, tagIds)) names[t.id] = t.name
    for (const [id, s] of await storeNamesByIds(conn, storeIds)) names[id] = s.name
    return names
  }
  const words = (reason: string | null, source: TagKind, rule: Condition | null, names: IdNames): Words => ({
    'zh-CN': renderReason(reason, source, rule, 'zh-CN', names),
    'en-US': renderReason(reason, source, rule, 'en-US', names),
  })
  const ruleWords = (rule: Condition | null, names: IdNames): Words | null =>
    rule ? { 'zh-CN': describeCondition(rule, 'zh-CN', names), 'en-US': describeCondition(rule, 'en-US', names) } : null

  /**
   * Parses a rule from the wire and checks what it names: known tags and stores, and no tag that
   * needs itself (directly or through other tags).
   */
  const checkRule = async (conn: Db | Trx, input: unknown, selfId: string | null): Promise<Condition> => {
    const rule = parseCondition(input, 'rule')
    const refs = referencedIds(rule, 'rule')
    const tags = await repo.findTagNamesByIds(conn, refs.tags.map((r) => r.id))
    assertKnownIds(refs.tags, new Set(tags.map((t) => t.id)), 'tag')
    assertKnownIds(refs.stores, new Set((await storeNamesByIds(conn, refs.stores.map((r) => r.id))).keys()), 'store')
    if (selfId) {
      const self = refs.tags.find((r) => r.id === selfId)
      if (self) throw unprocessable('INSIGHT_CONDITION_INVALID', [{ field: self.field, reason: 'a tag cannot depend on itself' }])
      const all = (await repo.findTags(conn)).filter((t) => t.kind === 'rule' && t.rule && t.id !== selfId)
        .map((t) => ({ id: t.id, rule: JSON.parse(t.rule!) as Condition }))
      const { cycle } = evaluationOrder([{ id: selfId, rule }, ...all])
      if (cycle) {
        const names = new Map([...all.map((t) => [t.id, t.id] as const)])
        const named = await repo.findTagNamesByIds(conn, cycle)
        for (const t of named) names.set(t.id, t.name)
        const at = refs.tags.find((r) => cycle.includes(r.id))
        throw unprocessable('INSIGHT_CONDITION_INVALID', [{ field: at?.field ?? 'rule', reason: `a tag cannot depend on itself (${cycle.map((id) => names.get(id) ?? id).join(' → ')})` }])
      }
    }
    return rule
  }

  const checkFields = (input: { name?: string; description?: string | null; color?: string | null }): ErrorDetail[] => {
    const details: ErrorDetail[] = []
    if (input.name !== undefined) {
      const name = input.name.trim()
      if (name.length === 0) details.push({ field: 'name', reason: 'is required' })
      else if ([...name].length > 40) details.push({ field: 'name', reason: 'at most 40 characters' })
    }
    if (input.description && [...input.description].length > 200) details.push({ field: 'description', reason: 'at most 200 characters' })
    if (input.color && !(TAG_COLORS as readonly string[]).includes(input.color) && !COLOR.test(input.color)) {
      details.push({ field: 'color', reason: `one of ${TAG_COLORS.join(', ')}, or #rrggbb` })
    }
    return details
  }

  const nameTaken = () => conflict('TAG_NAME_TAKEN', [{ field: 'name', reason: 'another tag has this name' }], 'another tag has this name')

  const loadTag = async (conn: Db | Trx, id: string): Promise<TagsTable> => {
    const row = await repo.findTagById(conn, id)
    if (!row) throw tagNotFound()
    return row
  }

  const summaries = async (actor: Actor, rows: TagsTable[], storeId?: string): Promise<TagSummary[]> => {
    const scope = scopeWithFilter(actor, storeId)
    const counts = await repo.countMembersPerTag(db, scope)
    const to = today()
    const daily = await repo.findTagCountsDaily(db, scope, addDays(to, -(TREND_DAYS - 1)), to, rows.map((r) => r.id))
    const tags = rows.map(toTag)
    const names = await namesFor(db, tags.map((t) => t.rule))
    return tags.map((t) => ({
      ...t,
      ruleText: ruleWords(t.rule, names),
      members: counts.get(t.id) ?? 0,
      trend: daily.filter((d) => d.tag_id === t.id).map((d) => ({ day: d.day, members: d.members })),
    }))
  }

  /** Tags with their members now and their trend (of one store when asked; store roles: theirs). */
  const list = async (actor: Actor, filter: { status?: 'active' | 'archived'; storeId?: string } = {}): Promise<TagSummary[]> => {
    assertCan(actor, 'insight.read')
    return summaries(actor, await repo.findTags(db, filter.status), filter.storeId)
  }

  const get = async (actor: Actor, id: string): Promise<TagSummary> => {
    assertCan(actor, 'insight.read')
    return (await summaries(actor, [await loadTag(db, id)]))[0]!
  }

  /** The active manual tags, for staff who attach them (they need not read the insight pages). */
  const manualTags = async (actor: Actor) => {
    assertCan(actor, 'tags.assign')
    return (await repo.findTags(db, 'active')).filter((t) => t.kind === 'manual').map((t) => ({ id: t.id, name: t.name, color: t.color, description: t.description }))
  }

  /** Evaluates a rule tag at once for everyone, so a new or changed tag shows without waiting for the refresh. */
  const evaluateNow = async (trx: Trx, id: string, rule: Condition) =>
    evaluateTag(trx, { id, rule }, { asOf: await asOfNow(trx), only: 'all', at: now() }, { engine, timezone })

  const create = async (actor: Actor, input: TagInput): Promise<TagSummary> => {
    assertCan(actor, 'insight.manage')
    const details = checkFields(input)
    if (input.kind === 'rule' && (input.rule === undefined || input.rule === null)) details.push({ field: 'rule', reason: 'a rule tag needs a rule' })
    if (input.kind === 'manual' && input.rule !== undefined && input.rule !== null) details.push({ field: 'rule', reason: 'a manual tag has no rule' })
    if (details.length > 0) throw unprocessable('VALIDATION', details)
    const id = newId('tag')
    try {
      await db.transaction().execute(async (trx) => {
        const rule = input.kind === 'rule' ? await checkRule(trx, input.rule, id) : null
        if (await repo.findTagByName(trx, input.name.trim())) throw nameTaken()
        const at = now()
        await repo.insertTag(trx, {
          id, name: input.name.trim(), description: input.description?.trim() || null, kind: input.kind, rule: rule ? JSON.stringify(rule) : null,
          color: input.color ?? null, status: 'active', created_by: actorStaffId(actor), created_at: at, updated_at: at,
        })
        const evaluated = rule ? await evaluateNow(trx, id, rule) : null
        // The rule in the chain's words, as the audit log shows it.
        const tagRule = rule ? describeCondition(rule, 'zh-CN', await namesFor(trx, [rule])) : null
        await audit.record(trx, actor, {
          action: 'tag.create', entityType: 'tag', entityId: id,
          changes: { name: input.name.trim(), ...(tagRule ? { tagRule, members: evaluated?.added ?? 0 } : {}) },
        })
      })
    } catch (err) {
      if (isUniqueViolation(err, 'name')) throw nameTaken()
      throw err
    }
    return get(actor, id)
  }

  const update = async (actor: Actor, id: string, patch: TagUpdate): Promise<TagSummary> => {
    assertCan(actor, 'insight.manage')
    const details = checkFields(patch)
    if (details.length > 0) throw unprocessable('VALIDATION', details)
    try {
      await db.transaction().execute(async (trx) => {
        const row = await loadTag(trx, id)
        if (patch.rule !== undefined && row.kind === 'manual') throw unprocessable('VALIDATION', [{ field: 'rule', reason: 'a manual tag has no rule' }])
        const rule = patch.rule !== undefined && row.kind === 'rule' ? await checkRule(trx, patch.rule, id) : null
        const name = patch.name?.trim()
        if (name && name !== row.name && (await repo.findTagByName(trx, name))) throw nameTaken()
        const at = now()
        const next: Partial<TagsTable> = { updated_at: at }
        const changes: Record<string, unknown> = {}
        if (name && name !== row.name) { next.name = name; changes.name = { from: row.name, to: name } }
        if (patch.description !== undefined && (patch.description?.trim() || null) !== row.description) {
          next.description = patch.description?.trim() || null
          changes.description = { from: row.description, to: next.description }
        }
        // A colour is cosmetic: changed, but not worth a line in the audit log.
        if (patch.color !== undefined && patch.color !== row.color) next.color = patch.color
        const ruleText = rule ? JSON.stringify(rule) : null
        if (ruleText && ruleText !== row.rule) {
          next.rule = ruleText
          const before = row.rule ? (JSON.parse(row.rule) as Condition) : null
          const names = await namesFor(trx, [before, rule])
          changes.tagRule = { from: before ? describeCondition(before, 'zh-CN', names) : null, to: describeCondition(rule!, 'zh-CN', names) }
        }
        if (patch.status && patch.status !== row.status) { next.status = patch.status; changes.archived = { from: row.status === 'archived', to: patch.status === 'archived' } }
        if (Object.keys(changes).length === 0 && next.color === undefined) return
        // Archiving a tag that another active rule names would leave that rule meaningless.
        if (patch.status === 'archived') {
          const users = (await repo.findTags(trx, 'active')).filter((t) => t.id !== id && t.rule && tagsNamedBy(JSON.parse(t.rule) as Condition).includes(id))
          if (users.length > 0) throw conflict('TAG_IN_USE', [{ field: 'status', reason: `named by the rule of ${users.map((t) => t.name).join(', ')}` }], 'other tags depend on this tag')
        }
        await repo.updateTag(trx, id, next)
        const status = next.status ?? row.status
        if (status === 'archived' && row.status === 'active') {
          changes.removed = await repo.removeAllOfTag(trx, id, at, actorStaffId(actor), `${newId('tev')}_`)
        } else if (row.kind === 'rule' && status === 'active' && (next.rule !== undefined || next.status !== undefined)) {
          const current = rule ?? (JSON.parse(row.rule!) as Condition)
          const evaluated = await evaluateNow(trx, id, current)
          // Members who keep the tag read the new rule's reason.
          if (next.rule) await repo.rewriteReasons(trx, id, current, ctxOf(await asOfNow(trx)))
          changes.added = evaluated.added
          changes.removed = evaluated.removed
        }
        if (Object.keys(changes).length > 0) await audit.record(trx, actor, { action: 'tag.update', entityType: 'tag', entityId: id, changes })
      })
    } catch (err) {
      if (isUniqueViolation(err, 'name')) throw nameTaken()
      throw err
    }
    return get(actor, id)
  }

  /** A rule's live count and a masked sample of its members with their reasons, without saving it. */
  const testRule = async (actor: Actor, input: unknown): Promise<RuleTest> => {
    assertCan(actor, 'insight.read')
    const rule = await checkRule(db, input, null)
    const asOf = await asOfNow(db)
    const ctx = ctxOf(asOf)
    const stores = storesOf(actor)
    const [count, sample, names] = await Promise.all([
      countMatching(db, rule, ctx, stores),
      repo.sampleMatching(db, rule, ctx, stores, SAMPLE_SIZE),
      namesFor(db, [rule]),
    ])
    return {
      asOf, count, ruleText: ruleWords(rule, names)!,
      sample: sample.map((m) => ({ memberId: m.id, cardNo: m.card_no, name: m.name_masked, phone: m.phone_masked, reason: words(m.reason, 'rule', rule, names) })),
    }
  }

  /** Members per tag per day of the full refreshes between two dates (of one store when asked; store roles: theirs). */
  const counts = async (actor: Actor, filter: { from?: string; to?: string; tagId?: string; storeId?: string }) => {
    assertCan(actor, 'insight.read')
    const scope = scopeWithFilter(actor, filter.storeId)
    const to = filter.to ?? today()
    const from = filter.from ?? addDays(to, -(TREND_DAYS - 1))
    if (from > to) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'must not be after to' }])
    if (filter.tagId) await loadTag(db, filter.tagId)
    const tags = await repo.findTags(db)
    const rows = await repo.findTagCountsDaily(db, scope, from, to, filter.tagId ? [filter.tagId] : undefined)
    const names = new Map(tags.map((t) => [t.id, t.name]))
    return { from, to, items: rows.map((r) => ({ day: r.day, tagId: r.tag_id, name: names.get(r.tag_id) ?? r.tag_id, members: r.members })) }
  }

  const liveMember = async (conn: Db | Trx, memberId: string) => {
    const m = await repo.findMemberForTags(conn, memberId)
    if (!m || m.status === 'erased' || m.status === 'merged') throw memberNotFound()
    return m
  }

  const staffNames = async (ids: Array<string | null>) =>
    new Map((await repo.findStaffNames(db, ids.filter((x): x is string => x !== null))).map((s) => [s.id, s.display_name]))

  /** The tags a member holds now, with why, in both languages (anyone who may read the member). */
  const memberTags = async (actor: Actor, memberId: string, conn: Db | Trx = db): Promise<MemberTag[]> => {
    assertCan(actor, 'members.read')
    await liveMember(conn, memberId)
    return tagsOfMember(conn, memberId)
  }

  const tagsOfMember = async (conn: Db | Trx, memberId: string): Promise<MemberTag[]> => {
    const rows = await repo.findMemberTags(conn, memberId)
    const rules = rows.map((r) => (r.rule ? (JSON.parse(r.rule) as Condition) : null))
    const names = await namesFor(conn, rules)
    const clerks = await staffNames(rows.map((r) => r.added_by))
    return rows.map((r, i) => ({
      tagId: r.tag_id, name: r.name, color: r.color, kind: r.kind, source: r.source,
      reason: words(r.reason, r.source, rules[i] ?? null, names), since: r.added_at, addedBy: r.added_by ? clerks.get(r.added_by) ?? null : null,
    }))
  }

  /** Attaches a manual tag to a member (store roles: their store's members), with the clerk's note. */
  const attach = async (actor: Actor, memberId: string, input: { tagId: string; note?: string | null }): Promise<MemberTag[]> => {
    assertCan(actor, 'tags.assign')
    const note = input.note?.trim() ?? ''
    if ([...note].length > 200) throw unprocessable('VALIDATION', [{ field: 'note', reason: 'at most 200 characters' }])
    // Two clerks at once: the second insert hits the primary key and is told the same as one who came later.
    const alreadyHeld = () => conflict('TAG_ALREADY_HELD', [{ field: 'tagId', reason: 'the member has this tag' }], 'the member has this tag')
    try {
      await db.transaction().execute(async (trx) => {
        const member = await liveMember(trx, memberId)
        assertInScope(actor, member.registration_store_id)
        const tag = await repo.findTagById(trx, input.tagId)
        if (!tag || tag.status !== 'active') throw unprocessable('VALIDATION', [{ field: 'tagId', reason: 'no such active tag' }])
        if (tag.kind !== 'manual') throw conflict('TAG_IS_RULE', [{ field: 'tagId', reason: 'a rule tag follows its rule; it cannot be attached by hand' }], 'a rule tag cannot be attached by hand')
        if (await repo.findMemberTag(trx, memberId, tag.id)) throw alreadyHeld()
        const at = now()
        const by = actorStaffId(actor)
        await repo.insertMemberTag(trx, { member_id: memberId, tag_id: tag.id, source: 'manual', reason: note, added_at: at, added_by: by })
        await repo.insertTagEvent(trx, { id: newId('tev'), member_id: memberId, tag_id: tag.id, event: 'added', source: 'manual', reason: note || null, at, by })
        await audit.record(trx, actor, { action: 'member.tag.add', entityType: 'member', entityId: memberId, storeId: member.registration_store_id, changes: { tagId: tag.id, ...(note ? { note } : {}) } })
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyHeld()
      throw err
    }
    return tagsOfMember(db, memberId)
  }

  /** Removes a manual tag from a member (store roles: their store's members). */
  const detach = async (actor: Actor, memberId: string, tagId: string): Promise<void> => {
    assertCan(actor, 'tags.assign')
    await db.transaction().execute(async (trx) => {
      const member = await liveMember(trx, memberId)
      assertInScope(actor, member.registration_store_id)
      const held = await repo.findMemberTag(trx, memberId, tagId)
      if (!held) throw notFound('TAG_NOT_HELD', [{ field: 'tagId', reason: 'the member does not have this tag' }], 'the member does not have this tag')
      if (held.source !== 'manual') throw conflict('TAG_IS_RULE', [{ field: 'tagId', reason: 'a rule tag follows its rule; it cannot be removed by hand' }], 'a rule tag cannot be removed by hand')
      const at = now()
      const by = actorStaffId(actor)
      await repo.deleteMemberTag(trx, memberId, tagId)
      await repo.insertTagEvent(trx, { id: newId('tev'), member_id: memberId, tag_id: tagId, event: 'removed', source: 'manual', reason: null, at, by })
      await audit.record(trx, actor, { action: 'member.tag.remove', entityType: 'member', entityId: memberId, storeId: member.registration_store_id, changes: { tagId } })
    })
  }

  /** When a member gained and lost tags, newest first. */
  const memberEvents = async (actor: Actor, memberId: string, limit = 100): Promise<TagEvent[]> => {
    assertCan(actor, 'members.read')
    await liveMember(db, memberId)
    const rows = await repo.findMemberTagEvents(db, memberId, Math.min(Math.max(limit, 1), 500))
    const rules = rows.map((r) => (r.rule ? (JSON.parse(r.rule) as Condition) : null))
    const names = await namesFor(db, rules)
    const clerks = await staffNames(rows.map((r) => r.by))
    const archived: Words = { 'zh-CN': '标签已停用', 'en-US': 'the tag was archived' }
    const noLonger: Words = { 'zh-CN': '不再符合规则', 'en-US': 'no longer matches the rule' }
    return rows.map((r, i) => ({
      id: r.id, tagId: r.tag_id, name: r.name, color: r.color, event: r.event, source: r.source, at: r.at, by: r.by ? clerks.get(r.by) ?? null : null,
      reason: r.reason === 'archived' && r.event === 'removed' ? archived
        : r.event === 'removed' && r.source === 'rule' ? noLonger
          : r.reason ? words(r.reason, r.source, rules[i] ?? null, names) : null,
    }))
  }

  return { list, get, manualTags, create, update, testRule, counts, memberTags, tagsOfMember, attach, detach, memberEvents }
}

export type TagsService = ReturnType<typeof createTagsService>

/** Tags by name in the audit log. */
export const tagsAuditLabels: AuditLabels = {
  byPrefix: {
    tag: async (conn, ids) => (await repo.findTagNamesByIds(conn, ids)).map((t) => ({ id: t.id, label: t.name })),
  },
}
