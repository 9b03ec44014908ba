import { createHash } from 'node:crypto'

// The audit log's hash chain (issue 16 §4): each entry's hash covers the previous entry's hash
// and every field of its own, so changing, removing or inserting an entry anywhere breaks every
// hash after it. Shared by the writer (src/modules/audit), the migration that chained the entries
// written before it, and `patron verify`.

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export interface ChainedFields {
  chain_seq: number
  id: string
  at: string
  actor_type: string
  actor_id: string | null
  actor_name: string | null
  ip: string | null
  action: string
  entity_type: string
  entity_id: string | null
  store_id: string | null
  changes: string | null
}

/** SHA-256 (hex) of the previous hash and the entry's fields, in a fixed order. */
export const auditEntryHash = (prevHash: string, e: ChainedFields): string =>
  createHash('sha256').update(prevHash).update('\n').update(JSON.stringify([
    Number(e.chain_seq), e.id, e.at, e.actor_type, e.actor_id, e.actor_name, e.ip, e.action, e.entity_type, e.entity_id, e.store_id, e.changes,
  ])).digest('hex')
