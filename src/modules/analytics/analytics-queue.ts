import type { Db } from '../../db/database.js'
import type { OutboxService } from '../outbox/index.js'

export type JobQueue = Pick<OutboxService, 'enqueue' | 'findByKey'>

/**
 * Queues an analytics job a page asked for; the same request (name and payload) within the same
 * minute joins the job already queued rather than queuing another.
 */
export const queueJoining = async (outbox: JobQueue, db: Db, now: Date, name: string, payload: object): Promise<{ jobId: string; joined: boolean }> => {
  const key = `${name}:${JSON.stringify(payload)}:${now.toISOString().slice(0, 16)}`
  const id = await outbox.enqueue(db, name, payload, { key })
  return { jobId: id ?? (await outbox.findByKey(key))!.id, joined: id === null }
}
