import type { Condition } from '../conditions/condition.js'
import type { TagKind, TagStatus, TagsTable } from './tags.table.js'

export interface Tag {
  id: string
  name: string
  description: string | null
  kind: TagKind
  rule: Condition | null
  color: string | null
  status: TagStatus
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export const toTag = (row: TagsTable): Tag => ({
  id: row.id,
  name: row.name,
  description: row.description,
  kind: row.kind,
  rule: row.rule ? (JSON.parse(row.rule) as Condition) : null,
  color: row.color,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** A reason in both console languages (rule reasons are put into words when read). */
export interface Words {
  'zh-CN': string
  'en-US': string
}

export interface TagInput {
  name: string
  description?: string | null
  kind: TagKind
  rule?: unknown
  color?: string | null
}

export interface TagUpdate {
  name?: string
  description?: string | null
  rule?: unknown
  color?: string | null
  status?: TagStatus
}

/** Colours the console offers (antd preset colours). */
export const TAG_COLORS = ['magenta', 'red', 'volcano', 'orange', 'gold', 'lime', 'green', 'cyan', 'blue', 'geekblue', 'purple'] as const
