import { sql } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import type {
  EnrolmentStatus, ExitReason, JourneyLifecycleSeenTable, JourneyMembersTable, JourneysTable, JourneyStatus, JourneyStepsLogTable, JourneyVersionsTable, TriggerType,
} from './journeys.table.js'

type Conn = Db | Trx

// ---- journeys and versions -----------------------------------------------------------------

export const insertJourney = (conn: Conn, row: JourneysTable) => conn.insertInto('journeys').values(row).execute()

export const findJourney = (conn: Conn, id: string) => conn.selectFrom('journeys').selectAll().where('id', '=', id).executeTakeFirst()

export const findJourneyByName = (conn: Conn, name: string) => conn.selectFrom('journeys').select('id').where('name', '=', name).executeTakeFirst()

export const listJourneys = (conn: Conn, f: { status?: JourneyStatus; limit: number; before?: string }) => {
  let q = conn.selectFrom('journeys').selectAll().orderBy('id', 'desc').limit(f.limit)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.before) q = q.where('id', '<', f.before)
  return q.execute()
}

/** Writes the changes if the journey is still at `revision` (and in one of `from`); false otherwise. */
export const updateJourney = async (conn: Conn, id: string, revision: number, changes: Partial<JourneysTable>, from: readonly JourneyStatus[]): Promise<boolean> =>
  Number((await conn.updateTable('journeys').set({ ...changes, revision: revision + 1 }).where('id', '=', id).where('revision', '=', revision)
    .where('status', 'in', [...from]).executeTakeFirst()).numUpdatedRows) === 1

export const insertVersion = (conn: Conn, row: JourneyVersionsTable) => conn.insertInto('journey_versions').values(row).execute()

export const updateVersion = (conn: Conn, journeyId: string, version: number, changes: Partial<JourneyVersionsTable>) =>
  conn.updateTable('journey_versions').set(changes).where('journey_id', '=', journeyId).where('version', '=', version).execute()

export const findVersion = (conn: Conn, journeyId: string, version: number) =>
  conn.selectFrom('journey_versions').selectAll().where('journey_id', '=', journeyId).where('version', '=', version).executeTakeFirst()

export const versionsOf = (conn: Conn, journeyId: string) =>
  conn.selectFrom('journey_versions').selectAll().where('journey_id', '=', journeyId).orderBy('version', 'desc').execute()

/** Active journeys of a trigger type, with their current version's definition. */
export const activeJourneysOf = (conn: Conn, type: TriggerType) =>
  conn.selectFrom('journeys as j').innerJoin('journey_versions as v', (jn) => jn.onRef('v.journey_id', '=', 'j.id').onRef('v.version', '=', 'j.version'))
    .select(['j.id', 'j.version', 'j.active_since', 'v.trigger', 'v.steps'])
    .where('j.trigger_type', '=', type).where('j.status', '=', 'active').orderBy('j.id').execute()

// ---- enrolments ----------------------------------------------------------------------------

/** Enrols; a member already in the journey for that occurrence is left out. Returns the ids written. */
export const insertEnrolments = async (conn: Conn, rows: JourneyMembersTable[]): Promise<string[]> => {
  const out: string[] = []
  // 11 columns a row: 500 rows stay below SQLite's bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const written = await conn.insertInto('journey_members').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['journey_id', 'member_id', 'occurrence']).doNothing()).returning('id').execute()
    out.push(...written.map((r) => r.id))
  }
  return out
}

/** Which of these members are inside the journey now (an active enrolment of any occurrence). */
export const membersInside = async (conn: Conn, journeyId: string, memberIds: readonly string[]): Promise<Set<string>> => {
  const out = new Set<string>()
  for (let i = 0; i < memberIds.length; i += 500) {
    const rows = await conn.selectFrom('journey_members').select('member_id').where('journey_id', '=', journeyId).where('status', '=', 'active')
      .where('member_id', 'in', memberIds.slice(i, i + 500)).execute()
    for (const r of rows) out.add(r.member_id)
  }
  return out
}

export const findEnrolment = (conn: Conn, id: string) => conn.selectFrom('journey_members').selectAll().where('id', '=', id).executeTakeFirst()

/**
 * Enrolments due (next_at reached) in journeys that are active, in due order, after a position
 * (the previous page's last): a job walks them once even while some stay due (a step another
 * worker holds).
 */
export const dueEnrolments = (conn: Conn, now: string, after: { nextAt: string; id: string } | null, limit: number) => {
  let q = conn.selectFrom('journey_members as e').innerJoin('journeys as j', 'j.id', 'e.journey_id')
    .select(['e.id', 'e.next_at']).where('e.status', '=', 'active').where('e.next_at', '<=', now).where('j.status', '=', 'active')
    .orderBy('e.next_at').orderBy('e.id').limit(limit)
  if (after) q = q.where((eb) => eb.or([eb('e.next_at', '>', after.nextAt), eb.and([eb('e.next_at', '=', after.nextAt), eb('e.id', '>', after.id)])]))
  return q.execute()
}

/** Moves an enrolment on if it is still active at step `fromStep`; false otherwise. */
export const moveEnrolment = async (conn: Conn, id: string, fromStep: number, changes: Partial<JourneyMembersTable>): Promise<boolean> =>
  Number((await conn.updateTable('journey_members').set(changes).where('id', '=', id).where('status', '=', 'active').where('current_step', '=', fromStep)
    .executeTakeFirst()).numUpdatedRows) === 1

/** Every member still inside a journey leaves it. */
export const exitAll = async (conn: Conn, journeyId: string, reason: ExitReason, at: string): Promise<number> =>
  Number((await conn.updateTable('journey_members').set({ status: 'exited', exit_reason: reason, next_at: null, updated_at: at })
    .where('journey_id', '=', journeyId).where('status', '=', 'active').executeTakeFirst()).numUpdatedRows)

// ---- the steps' log --------------------------------------------------------------------------

/** The claim of a step: true when this insert wrote the row (nobody had it). */
export const claimStep = async (conn: Conn, row: JourneyStepsLogTable): Promise<boolean> => {
  const r = await conn.insertInto('journey_steps_log').values(row).onConflict((oc) => oc.columns(['enrolment_id', 'step_index']).doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export const findStep = (conn: Conn, enrolmentId: string, stepIndex: number) =>
  conn.selectFrom('journey_steps_log').selectAll().where('enrolment_id', '=', enrolmentId).where('step_index', '=', stepIndex).executeTakeFirst()

/** Takes over a claim whose lease ran out (its worker died), if nobody took it meanwhile. */
export const takeOverStep = async (conn: Conn, enrolmentId: string, stepIndex: number, from: { by: string; at: string }, to: { by: string; at: string }): Promise<boolean> =>
  Number((await conn.updateTable('journey_steps_log').set({ claimed_by: to.by, claimed_at: to.at })
    .where('enrolment_id', '=', enrolmentId).where('step_index', '=', stepIndex).where('status', '=', 'claimed')
    .where('claimed_by', '=', from.by).where('claimed_at', '=', from.at).executeTakeFirst()).numUpdatedRows) === 1

/** Records what a claimed step did, if this worker still holds the claim. */
export const finishStep = async (conn: Conn, enrolmentId: string, stepIndex: number, by: string, changes: Partial<JourneyStepsLogTable>): Promise<boolean> =>
  Number((await conn.updateTable('journey_steps_log').set({ ...changes, status: 'done' })
    .where('enrolment_id', '=', enrolmentId).where('step_index', '=', stepIndex).where('status', '=', 'claimed').where('claimed_by', '=', by)
    .executeTakeFirst()).numUpdatedRows) === 1

/** Gives a claim back (the step failed before it was done: it is tried again at once, not after the lease). */
export const releaseStep = (conn: Conn, enrolmentId: string, stepIndex: number, by: string) =>
  conn.deleteFrom('journey_steps_log').where('enrolment_id', '=', enrolmentId).where('step_index', '=', stepIndex).where('status', '=', 'claimed')
    .where('claimed_by', '=', by).execute()

/** The last coupon an enrolment's steps issued (a message after it names it). */
export const lastCoupon = (conn: Conn, enrolmentId: string) =>
  conn.selectFrom('journey_steps_log').select(['step_index', 'coupon_id']).where('enrolment_id', '=', enrolmentId).where('status', '=', 'done')
    .where('coupon_id', 'is not', null).orderBy('step_index', 'desc').limit(1).executeTakeFirst()

export const stepsOf = (conn: Conn, enrolmentIds: readonly string[]) =>
  enrolmentIds.length === 0 ? Promise.resolve([]) : conn.selectFrom('journey_steps_log').selectAll().where('enrolment_id', 'in', [...enrolmentIds])
    .orderBy('enrolment_id').orderBy('step_index').execute()

// ---- messages (the channel layer's log) ------------------------------------------------------

/** The message a source already sent a member (a step done again after a crash sends none). */
export const messageOf = (conn: Conn, sourceType: string, sourceId: string, memberId: string) =>
  conn.selectFrom('messages').select(['id', 'status', 'channel']).where('source_type', '=', sourceType).where('source_id', '=', sourceId)
    .where('member_id', '=', memberId).orderBy('id').limit(1).executeTakeFirst()

// ---- reads -----------------------------------------------------------------------------------

/** Members per version, status and step of the journeys given. */
export const memberCounts = async (conn: Conn, journeyIds: readonly string[]) =>
  journeyIds.length === 0 ? [] : (await conn.selectFrom('journey_members').select(['journey_id', 'version', 'status', 'current_step', (eb) => eb.fn.countAll<number>().as('n')])
    .where('journey_id', 'in', [...journeyIds]).groupBy(['journey_id', 'version', 'status', 'current_step']).execute())
    .map((r) => ({ journeyId: r.journey_id, version: Number(r.version), status: r.status as EnrolmentStatus, step: Number(r.current_step), n: Number(r.n) }))

/** Steps done per version, step and outcome of a journey. */
export const outcomeCounts = async (conn: Conn, journeyId: string) =>
  (await conn.selectFrom('journey_steps_log as l').innerJoin('journey_members as e', 'e.id', 'l.enrolment_id')
    .select(['e.version', 'l.step_index', 'l.outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.journey_id', '=', journeyId).where('l.status', '=', 'done').groupBy(['e.version', 'l.step_index', 'l.outcome']).execute())
    .map((r) => ({ version: Number(r.version), step: Number(r.step_index), outcome: r.outcome, n: Number(r.n) }))

export const membersPage = (conn: Conn, journeyId: string, f: { after?: string; limit: number; status?: EnrolmentStatus; version?: number; step?: number }) => {
  let q = conn.selectFrom('journey_members').selectAll().where('journey_id', '=', journeyId).orderBy('id').limit(f.limit)
  if (f.after) q = q.where('id', '>', f.after)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.version !== undefined) q = q.where('version', '=', f.version)
  if (f.step !== undefined) q = q.where('current_step', '=', f.step)
  return q.execute()
}

/** A member's enrolments, newest first, with the journey's name. */
export const enrolmentsOfMember = (conn: Conn, memberId: string, limit: number) =>
  conn.selectFrom('journey_members as e').innerJoin('journeys as j', 'j.id', 'e.journey_id')
    .select(['e.id', 'e.journey_id', 'j.name', 'e.version', 'e.occurrence', 'e.current_step', 'e.status', 'e.exit_reason', 'e.next_at', 'e.entered_at', 'e.updated_at'])
    .where('e.member_id', '=', memberId).orderBy('e.entered_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute()

// ---- lifecycle stages seen -------------------------------------------------------------------

export const seenStages = async (conn: Conn, memberIds: readonly string[]): Promise<Map<string, string>> => {
  if (memberIds.length === 0) return new Map()
  const rows = await conn.selectFrom('journey_lifecycle_seen').select(['member_id', 'stage']).where('member_id', 'in', [...memberIds]).execute()
  return new Map(rows.map((r) => [r.member_id, r.stage]))
}

export const saveSeenStages = async (conn: Conn, rows: JourneyLifecycleSeenTable[]): Promise<void> => {
  for (let i = 0; i < rows.length; i += 500) {
    await conn.insertInto('journey_lifecycle_seen').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('member_id').doUpdateSet({ stage: sql`excluded.stage`, seen_on: sql`excluded.seen_on` })).execute()
  }
}
