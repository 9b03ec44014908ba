import { randomUUID } from 'node:crypto'
import { activeMembersPage, boughtSince, holdsTag, lifecycleStages, membersReach, membersWithBirthdayOn, membersWithPointsExpiringOn, segmentHasMember, segmentMemberIds, tagAdditionsSince, tierRanks } from '../../analytics/index.js'
import { memberState } from '../../members/index.js'
import { DomainError } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import { addDays, dateIn } from '../../../shared/time.js'
import { quietUntil } from '../campaigns/index.js'
import { marketingSentSince, pickChannel, RETRY_AFTER_MS } from '../channels/index.js'
import type { Values } from '../templates/template-rules.js'
import { birthdaysOn, ceilMinute, isUpgrade, MAX_STEPS, nextStepOf, triggerDays, waitMs, type Definition, type Step, type Trigger } from './journey-rules.js'
import * as repo from './journeys.repository.js'
import type { JourneyMembersTable, StepOutcome, TriggerType } from './journeys.table.js'
import type { JourneysDeps, PressureSettings } from './journeys.types.js'

export const ADVANCE_JOB = 'journeys.advance'
/** A journey's messages in the log: `journey` and `<enrolment>:<step>`, so a step never sends a member twice. */
export const MESSAGE_SOURCE = 'journey'
/** A claimed step whose worker has not finished it in this time is taken over (its worker died). */
export const CLAIM_LEASE_MS = 5 * 60_000
const PAGE = 500
/** Enrolments one advance job moves on; the rest go to the next job, queued at once. */
const PER_JOB = 5_000

type ActiveJourney = { id: string; version: number; activeSince: string; trigger: Trigger; definition: Definition }
type StepResult =
  | { outcome: StepOutcome; next: number | null; nextAt?: string; channel?: string | null; messageId?: string | null; couponId?: string | null }
  /** not done yet (a message the provider will take later): the step is tried again then */
  | { retryAt: string }

const isCode = (e: unknown, codes: string[]) => e instanceof DomainError && codes.includes(e.code)

/**
 * The journeys' workers: enrolment by trigger (events, daily days, tag additions) and the advance
 * of every due enrolment, a step at a time. Each step is claimed by its log row first, so a
 * step happens once per member whatever the workers, crashes and retries; its effects carry keys
 * (the coupon's issue key, the message's dedupe key) so a step taken over after a crash repeats
 * none of them.
 */
export const createJourneyEngine = (deps: JourneysDeps) => {
  const { db, engine, clock, timezone } = deps
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  const definitions = new Map<string, Definition>()
  /** A version's definition; versions that have members never change, so they are kept. */
  const definitionOf = async (journeyId: string, version: number): Promise<Definition | null> => {
    const key = `${journeyId}:${version}`
    const known = definitions.get(key)
    if (known) return known
    const v = await repo.findVersion(db, journeyId, version)
    if (!v) return null
    const d: Definition = { trigger: JSON.parse(v.trigger) as Trigger, steps: JSON.parse(v.steps) as Step[] }
    definitions.set(key, d)
    return d
  }

  const activeJourneys = async (type: TriggerType): Promise<ActiveJourney[]> =>
    (await repo.activeJourneysOf(db, type)).map((j) => {
      const definition: Definition = { trigger: JSON.parse(j.trigger) as Trigger, steps: JSON.parse(j.steps) as Step[] }
      return { id: j.id, version: Number(j.version), activeSince: j.active_since ?? now(), trigger: definition.trigger, definition }
    })

  /** Queues the advance job for a minute (one job per minute for every enrolment due then). */
  const wakeAt = async (conn: Parameters<JourneysDeps['enqueue']>[0], at: Date) => {
    const minute = ceilMinute(at)
    await deps.enqueue(conn, ADVANCE_JOB, {}, { runAt: minute, key: `${ADVANCE_JOB}:at:${minute}` })
  }

  // ---- enrolment -------------------------------------------------------------------------------
  /** Enrols members (with their occurrence) into a journey, leaving out who is inside it now; the new enrolments' ids. */
  const enrol = async (j: ActiveJourney, entrants: Array<{ memberId: string; occurrence: string }>): Promise<string[]> => {
    if (entrants.length === 0) return []
    const inside = await repo.membersInside(db, j.id, [...new Set(entrants.map((x) => x.memberId))])
    const at = now()
    const seen = new Set<string>()
    const rows: JourneyMembersTable[] = []
    for (const x of entrants) {
      if (inside.has(x.memberId) || seen.has(x.memberId)) continue
      seen.add(x.memberId)
      rows.push({
        id: newId('jnm'), journey_id: j.id, version: j.version, member_id: x.memberId, occurrence: x.occurrence, current_step: 0, status: 'active', exit_reason: null,
        next_at: at, entered_at: at, updated_at: at,
      })
    }
    return repo.insertEnrolments(db, rows)
  }

  /**
   * One member's trigger (an event): into every active journey of that trigger which was active
   * when it happened, then the first steps at once (a welcome message goes with the registration).
   */
  const enrolOne = async (type: TriggerType, input: { memberId: string; at: string; occurrence: string; accepts?: (t: Trigger) => boolean }): Promise<{ enrolled: number }> => {
    const journeys = (await activeJourneys(type)).filter((j) => j.activeSince <= input.at && (input.accepts?.(j.trigger) ?? true))
    if (journeys.length === 0) return { enrolled: 0 }
    const state = await memberState(db, input.memberId)
    if (!state || state.status !== 'active') return { enrolled: 0 }
    const ids: string[] = []
    for (const j of journeys) ids.push(...(await enrol(j, [{ memberId: input.memberId, occurrence: input.occurrence }])))
    for (const id of ids) await advanceOne(id, newRun())
    return { enrolled: ids.length }
  }

  const onRegistered = (e: { memberId: string; channel: string; at: string }) =>
    e.channel === 'import' ? Promise.resolve({ enrolled: 0 }) : enrolOne('registered', { memberId: e.memberId, at: e.at, occurrence: '' })

  const onFirstPurchase = (e: { memberId: string; at: string }) => enrolOne('first_purchase', { memberId: e.memberId, at: e.at, occurrence: '' })

  const onTierChanged = async (e: { memberId: string; from: string | null; to: string; reason: string; at: string }) => {
    const ranks = e.reason === 'manual' ? await tierRanks(db) : new Map<string, number>()
    if (!isUpgrade(e.reason, e.from ? ranks.get(e.from) ?? null : null, ranks.get(e.to) ?? null)) return { enrolled: 0 }
    return enrolOne('tier_upgrade', {
      memberId: e.memberId, at: e.at, occurrence: `${e.to}@${e.at}`, accepts: (t) => t.type === 'tier_upgrade' && (t.tierCode === null || t.tierCode === e.to),
    })
  }

  /** Pages of member ids into a journey, then the advance job queued at once for them. */
  const enrolPages = async (j: ActiveJourney, occurrence: string, page: (after: string | null) => Promise<string[]>): Promise<number> => {
    let enrolled = 0
    for (let after: string | null = null; ;) {
      const ids = await page(after)
      enrolled += (await enrol(j, ids.map((memberId) => ({ memberId, occurrence })))).length
      if (ids.length < PAGE) break
      after = ids[ids.length - 1]!
    }
    return enrolled
  }

  const afterEnrolling = async (source: string, enrolled: number) => {
    if (enrolled > 0) await deps.enqueue(db, ADVANCE_JOB, {}, { key: `${ADVANCE_JOB}:${source}:${now()}` })
  }

  /** Daily: members whose birthday is the journey's `daysBefore` days away (the year is the occurrence). */
  const enrolBirthdays = async () => {
    let enrolled = 0
    const journeys = await activeJourneys('birthday')
    for (const j of journeys) {
      if (j.trigger.type !== 'birthday') continue
      for (const day of triggerDays(today(), dateIn(new Date(j.activeSince), timezone))) {
        const birthday = addDays(day, j.trigger.daysBefore)
        enrolled += await enrolPages(j, birthday.slice(0, 4), (after) => membersWithBirthdayOn(db, birthdaysOn(birthday), { after, limit: PAGE }))
      }
    }
    await afterEnrolling('birthdays', enrolled)
    return { journeys: journeys.length, enrolled }
  }

  /** Daily: members with points in a lot whose last day is `daysAhead` away (the expiry date is the occurrence). */
  const enrolPointsExpiring = async () => {
    let enrolled = 0
    const journeys = await activeJourneys('points_expiring')
    for (const j of journeys) {
      if (j.trigger.type !== 'points_expiring') continue
      for (const day of triggerDays(today(), dateIn(new Date(j.activeSince), timezone))) {
        const expiresOn = addDays(day, j.trigger.daysAhead)
        enrolled += await enrolPages(j, expiresOn, (after) => membersWithPointsExpiringOn(db, expiresOn, { after, limit: PAGE }))
      }
    }
    await afterEnrolling('points', enrolled)
    return { journeys: journeys.length, enrolled }
  }

  /** Daily: on its date, a date journey takes every active member, or its segment's. */
  const enrolDates = async () => {
    let enrolled = 0
    const journeys = await activeJourneys('date')
    const ctx = { asOf: today(), engine, timezone }
    for (const j of journeys) {
      const t = j.trigger
      if (t.type !== 'date' || !triggerDays(today(), dateIn(new Date(j.activeSince), timezone)).includes(t.date)) continue
      const segmentId = t.segmentId
      enrolled += await enrolPages(j, t.date, (after) => (segmentId
        ? segmentMemberIds(db, segmentId, ctx, { after, limit: PAGE })
        : activeMembersPage(db, { after, limit: PAGE })))
    }
    await afterEnrolling('dates', enrolled)
    return { journeys: journeys.length, enrolled }
  }

  /**
   * Daily, after the insight refresh has classed members: a member whose stage differs from the
   * one the journeys last saw has entered it (the day is the occurrence). A member seen for the
   * first time is only noted: being in a stage already is not entering it.
   */
  const enrolLifecycle = async () => {
    const journeys = await activeJourneys('lifecycle')
    const day = today()
    let enrolled = 0
    let changed = 0
    for (let after: string | null = null; ;) {
      const rows = await lifecycleStages(db, { after, limit: PAGE })
      const seen = await repo.seenStages(db, rows.map((r) => r.memberId))
      const moved = rows.filter((r) => seen.get(r.memberId) !== r.stage)
      await repo.saveSeenStages(db, moved.map((r) => ({ member_id: r.memberId, stage: r.stage, seen_on: day })))
      const entered = moved.filter((r) => seen.has(r.memberId))
      changed += entered.length
      for (const j of journeys) {
        if (j.trigger.type !== 'lifecycle') continue
        const stage = j.trigger.stage
        enrolled += (await enrol(j, entered.filter((r) => r.stage === stage).map((r) => ({ memberId: r.memberId, occurrence: day })))).length
      }
      if (rows.length < PAGE) break
      after = rows[rows.length - 1]!.memberId
    }
    await afterEnrolling('lifecycle', enrolled)
    return { journeys: journeys.length, entered: changed, enrolled }
  }

  /**
   * Every few minutes: the additions of a journey's tag since it became active (looking back a
   * day at most; the tag event is the occurrence, so a repeat enrols nobody twice).
   */
  const enrolTagged = async () => {
    let enrolled = 0
    const journeys = await activeJourneys('tag_added')
    const dayAgo = new Date(clock.now().getTime() - 86_400_000).toISOString()
    for (const j of journeys) {
      const t = j.trigger
      if (t.type !== 'tag_added') continue
      const since = j.activeSince > dayAgo ? j.activeSince : dayAgo
      for (let after: string | null = null; ;) {
        const events = await tagAdditionsSince(db, t.tagId, since, { after, limit: PAGE })
        enrolled += (await enrol(j, events.map((e) => ({ memberId: e.memberId, occurrence: e.id })))).length
        if (events.length < PAGE) break
        after = events[events.length - 1]!.id
      }
    }
    await afterEnrolling('tags', enrolled)
    return { journeys: journeys.length, enrolled }
  }

  // ---- the steps -------------------------------------------------------------------------------
  /** One advance run: who claims (a fresh id per run), the settings read once. */
  const newRun = () => {
    let settings: Promise<PressureSettings> | null = null
    return { owner: randomUUID(), settings: () => (settings ??= deps.settings()) }
  }
  type Run = ReturnType<typeof newRun>

  /** The coupon step's issue key: one coupon per journey version, step, member (the coupon's own key) and occurrence. */
  const couponKey = (e: JourneyMembersTable, step: number) => `journey:${e.journey_id}:v${e.version}:s${step}${e.occurrence ? `:${e.occurrence}` : ''}`

  const send = async (e: JourneyMembersTable, d: Definition, k: number, step: Extract<Step, { type: 'send' }>, run: Run): Promise<StepResult> => {
    const next = nextStepOf(d.steps, k)
    const sourceId = `${e.id}:${k}`
    const existing = await repo.messageOf(db, MESSAGE_SOURCE, sourceId, e.member_id)
    const outcomeOf = (status: string): StepOutcome => (status === 'failed' || status === 'bounced' ? 'failed' : 'sent')
    if (existing && existing.status !== 'queued') return { outcome: outcomeOf(existing.status), next, channel: existing.channel, messageId: existing.id }
    let channel = existing?.channel
    if (!channel) {
      const s = await run.settings()
      if (s.capCount > 0) {
        const since = new Date(clock.now().getTime() - s.capDays * 86_400_000).toISOString()
        if (((await marketingSentSince(db, [e.member_id], since)).get(e.member_id) ?? 0) >= s.capCount) return { outcome: 'skipped_cap', next }
      }
      const who = (await membersReach(db, [e.member_id])).get(e.member_id)
      channel = pickChannel(step.channels, who)
      if (!channel) return { outcome: 'skipped_no_channel', next }
    }
    // The coupon an earlier step issued is named in the message (its key gives it again).
    let coupon: Values = {}
    const last = await repo.lastCoupon(db, e.id)
    const couponStep = last ? d.steps[last.step_index] : undefined
    if (last && couponStep?.type === 'coupon') {
      const c = await deps.issueCoupon({ templateId: couponStep.couponTemplateId, memberId: e.member_id, issueKey: couponKey(e, last.step_index) })
      // The coupon's own last day: a template valid N days from the issue has none of its own.
      coupon = { ...(await deps.couponValues(couponStep.couponTemplateId)), couponCode: c.code, ...(c.validTo ? { couponValidUntil: c.validTo } : {}) }
    }
    const values: Values = { ...(await deps.memberValues(e.member_id)), ...coupon }
    const text = await deps.render(step.templateIds[channel]!, values, e.member_id)
    try {
      const m = await deps.deliver(null, {
        channel, purpose: 'marketing', memberId: e.member_id, subject: text.subject, body: text.body, templateCode: text.templateCode, params: text.params,
        sourceType: MESSAGE_SOURCE, sourceId,
      })
      // The provider's trouble (a timeout, throttling): the log keeps it queued; the step comes back to try it again.
      if (m.status === 'queued') return { retryAt: new Date(clock.now().getTime() + RETRY_AFTER_MS).toISOString() }
      return { outcome: outcomeOf(m.status), next, channel, messageId: m.id }
    } catch (err) {
      if (!isCode(err, ['MARKETING_NO_CONSENT', 'MEMBER_NOT_FOUND'])) throw err
      return { outcome: 'skipped_no_channel', next }
    }
  }

  const perform = async (e: JourneyMembersTable, d: Definition, k: number, step: Step, run: Run): Promise<StepResult> => {
    switch (step.type) {
      case 'wait':
        return { outcome: 'waited', next: nextStepOf(d.steps, k), nextAt: new Date(clock.now().getTime() + waitMs(step)).toISOString() }
      case 'condition': {
        const answer = step.check === 'bought_since_entry' ? await boughtSince(db, e.member_id, e.entered_at)
          : step.check === 'has_tag' ? await holdsTag(db, e.member_id, step.tagId!)
            : await segmentHasMember(db, step.segmentId!, e.member_id, { asOf: today(), engine, timezone })
        return { outcome: answer ? 'yes' : 'no', next: nextStepOf(d.steps, k, answer) }
      }
      case 'coupon':
        try {
          const c = await deps.issueCoupon({ templateId: step.couponTemplateId, memberId: e.member_id, issueKey: couponKey(e, k) })
          return { outcome: 'issued', next: nextStepOf(d.steps, k), couponId: c.id }
        } catch (err) {
          if (!isCode(err, ['COUPON_BUDGET_EXHAUSTED', 'COUPON_TEMPLATE_INACTIVE', 'COUPON_TEMPLATE_NOT_FOUND'])) throw err
          return { outcome: 'skipped_coupon', next: nextStepOf(d.steps, k) }
        }
      case 'tag':
        try {
          await (step.action === 'add' ? deps.attachTag(e.member_id, step.tagId) : deps.detachTag(e.member_id, step.tagId))
          return { outcome: 'tagged', next: nextStepOf(d.steps, k) }
        } catch (err) {
          // The tag archived or made a rule's since the journey was written.
          if (!(err instanceof DomainError) || err.status >= 500) throw err
          return { outcome: 'skipped_tag', next: nextStepOf(d.steps, k) }
        }
      case 'send':
        return send(e, d, k, step, run)
      case 'end':
        return { outcome: 'ended', next: null }
    }
  }

  /** The claim of a step: the log row written first; a claim whose worker died (its lease run out) is taken over. */
  const claim = async (e: JourneyMembersTable, k: number, step: Step, owner: string): Promise<boolean> => {
    const at = now()
    const row = { enrolment_id: e.id, step_index: k, step_type: step.type, status: 'claimed' as const, claimed_by: owner, claimed_at: at, done_at: null, outcome: null, next_step: null, channel: null, message_id: null, coupon_id: null }
    if (await repo.claimStep(db, row)) return true
    const held = await repo.findStep(db, e.id, k)
    if (!held || held.status === 'done') return false
    if (held.claimed_at > new Date(clock.now().getTime() - CLAIM_LEASE_MS).toISOString()) return false
    return repo.takeOverStep(db, e.id, k, { by: held.claimed_by, at: held.claimed_at }, { by: owner, at })
  }

  /**
   * Moves one enrolment on while its steps are due: a send in quiet hours waits for their end, a
   * wait sets the time of the next step, a member no longer active leaves. Returns the steps done.
   */
  const advanceOne = async (enrolmentId: string, run: Run): Promise<number> => {
    let done = 0
    // Steps only go forward, so a journey of n steps takes at most n turns.
    for (let turn = 0; turn <= MAX_STEPS; turn++) {
      const e = await repo.findEnrolment(db, enrolmentId)
      if (!e || e.status !== 'active' || e.next_at === null || e.next_at > now()) return done
      const j = await repo.findJourney(db, e.journey_id)
      if (!j || j.status !== 'active') return done
      const d = await definitionOf(e.journey_id, Number(e.version))
      const k = Number(e.current_step)
      const step = d?.steps[k]
      const at = now()
      if (!step) {
        await repo.moveEnrolment(db, e.id, k, { status: 'done', next_at: null, updated_at: at })
        return done
      }
      const state = await memberState(db, e.member_id)
      if (!state || state.status !== 'active') {
        await repo.moveEnrolment(db, e.id, k, { status: 'exited', exit_reason: 'member_inactive', next_at: null, updated_at: at })
        return done
      }
      if (step.type === 'send') {
        const s = await run.settings()
        const quiet = quietUntil(clock.now(), timezone, s.quietStart, s.quietEnd)
        if (quiet) {
          await db.transaction().execute(async (trx) => {
            if (await repo.moveEnrolment(trx, e.id, k, { next_at: quiet.toISOString(), updated_at: at })) await wakeAt(trx, quiet)
          })
          return done
        }
      }
      if (!(await claim(e, k, step, run.owner))) return done
      const result = await perform(e, d!, k, step, run).catch(async (err: unknown) => {
        // Given back, so the next run tries again at once instead of after the lease.
        await repo.releaseStep(db, e.id, k, run.owner)
        throw err
      })
      if ('retryAt' in result) {
        const retryAt = result.retryAt
        await db.transaction().execute(async (trx) => {
          await repo.releaseStep(trx, e.id, k, run.owner)
          if (await repo.moveEnrolment(trx, e.id, k, { next_at: retryAt, updated_at: at })) await wakeAt(trx, new Date(retryAt))
        })
        return done
      }
      const finished = await db.transaction().execute(async (trx) => {
        const doneAt = now()
        const kept = await repo.finishStep(trx, e.id, k, run.owner, {
          done_at: doneAt, outcome: result.outcome, next_step: result.next, channel: result.channel ?? null, message_id: result.messageId ?? null, coupon_id: result.couponId ?? null,
        })
        // Our lease ran out and another worker took the step over: it finishes it.
        if (!kept) return false
        if (result.next === null) await repo.moveEnrolment(trx, e.id, k, { status: 'done', next_at: null, updated_at: doneAt })
        else {
          await repo.moveEnrolment(trx, e.id, k, { current_step: result.next, next_at: result.nextAt ?? doneAt, updated_at: doneAt })
          if (result.nextAt) await wakeAt(trx, new Date(result.nextAt))
        }
        return true
      })
      if (!finished) return done
      done++
    }
    return done
  }

  /**
   * The advance job: every enrolment due now, in due order, a page at a time; each is moved on
   * as far as its steps are due. A job moves at most PER_JOB and queues the next for the rest.
   */
  const advanceDue = async (): Promise<{ enrolments: number; steps: number }> => {
    const run = newRun()
    const asOf = now()
    let after: { nextAt: string; id: string } | null = null
    let enrolments = 0
    let steps = 0
    for (;;) {
      const page = await repo.dueEnrolments(db, asOf, after, 200)
      for (const e of page) {
        steps += await advanceOne(e.id, run)
        enrolments++
      }
      if (page.length < 200) break
      const last = page[page.length - 1]!
      after = { nextAt: last.next_at!, id: last.id }
      if (enrolments >= PER_JOB) {
        await deps.enqueue(db, ADVANCE_JOB, {}, { key: `${ADVANCE_JOB}:more:${asOf}:${last.id}` })
        break
      }
    }
    return { enrolments, steps }
  }

  return { onRegistered, onFirstPurchase, onTierChanged, enrolBirthdays, enrolPointsExpiring, enrolDates, enrolLifecycle, enrolTagged, advanceDue, advanceOne: (id: string) => advanceOne(id, newRun()) }
}

export type JourneyEngine = ReturnType<typeof createJourneyEngine>
