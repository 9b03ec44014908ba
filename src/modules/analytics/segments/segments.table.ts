export interface SegmentsTable {
  id: string
  name: string
  description: string | null
  /** JSON of the segment's Condition (see ../conditions) */
  definition: string
  /** a store manager's segment covers their store's members only; null = the chain */
  store_id: string | null
  status: 'active' | 'archived'
  created_by: string | null
  created_at: string
  updated_at: string
}

/** A frozen list of a segment's members, with the definition it was taken with. */
export interface SegmentSnapshotsTable {
  id: string
  segment_id: string
  definition: string
  as_of: string
  member_count: number
  created_by: string | null
  created_at: string
}

export interface SegmentSnapshotMembersTable {
  snapshot_id: string
  member_id: string
}

export interface SegmentsTables {
  segments: SegmentsTable
  segment_snapshots: SegmentSnapshotsTable
  segment_snapshot_members: SegmentSnapshotMembersTable
}
