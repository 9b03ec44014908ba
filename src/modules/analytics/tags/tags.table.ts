export type TagKind = 'rule' | 'manual'
export type TagStatus = 'active' | 'archived'

export interface TagsTable {
  id: string
  name: string
  description: string | null
  kind: TagKind
  /** JSON of the rule (a Condition, see ../conditions) for kind 'rule' */
  rule: string | null
  color: string | null
  status: TagStatus
  created_by: string | null
  created_at: string
  updated_at: string
}

/** A tag a member holds now, with why, in words. */
export interface MemberTagsTable {
  member_id: string
  tag_id: string
  source: TagKind
  reason: string
  added_at: string
  added_by: string | null
}

/** When a member gained or lost a tag. */
export interface MemberTagEventsTable {
  id: string
  member_id: string
  tag_id: string
  event: 'added' | 'removed'
  source: TagKind
  reason: string | null
  at: string
  by: string | null
}

/** Members holding a tag after a full refresh, per registration store ('' for none). */
export interface TagCountsDailyTable {
  day: string
  tag_id: string
  store_id: string
  members: number
}

export interface TagsTables {
  tags: TagsTable
  member_tags: MemberTagsTable
  member_tag_events: MemberTagEventsTable
  tag_counts_daily: TagCountsDailyTable
}
