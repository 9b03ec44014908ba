import type { Db, Trx } from '../../db/database.js'

// The outbox's queries for the member-data contract: jobs whose payload or key names a member.
// Payloads are JSON text, so a member is found by its id in them (ids are unique and random).

type Conn = Db | Trx

const naming = (memberId: string) => `%${memberId}%`

export const countJobsNaming = async (conn: Conn, memberId: string): Promise<number> =>
  Number((await conn.selectFrom('job_queue').select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('payload', 'like', naming(memberId)), eb('dedupe_key', 'like', naming(memberId))])).executeTakeFirstOrThrow()).n)

export const jobsNaming = async (conn: Conn, memberId: string) => ({
  job_queue: await conn.selectFrom('job_queue').selectAll()
    .where((eb) => eb.or([eb('payload', 'like', naming(memberId)), eb('dedupe_key', 'like', naming(memberId))])).orderBy('created_at').orderBy('id').execute(),
})

export const deleteJobsNaming = async (trx: Trx, memberId: string): Promise<void> => {
  await trx.deleteFrom('job_queue').where((eb) => eb.or([eb('payload', 'like', naming(memberId)), eb('dedupe_key', 'like', naming(memberId))])).execute()
}
