import { PostgresAdapter } from 'kysely'
import type { Engine, Trx } from '../../../db/database.js'
import { newId } from '../../../shared/ids.js'
import type { RefreshStep } from '../classes/classify.js'
import type { CompileContext } from '../conditions/conditions.repository.js'
import type { Condition } from '../conditions/condition.js'
import { evaluationOrder } from './tag-reasons.js'
import * as repo from './tags.repository.js'

export interface EvaluationOptions {
  /** the database engine (read from the transaction when not given) */
  engine?: Engine
  /** the chain's time zone (default: the step's, else Asia/Shanghai) */
  timezone?: string
}

export interface EvaluationResult {
  tags: number
  added: number
  removed: number
}

const engineOf = (trx: Trx): Engine => (trx.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite')

/** Evaluates one rule tag for the members the step covers: adds and removes, with events and reasons. */
export const evaluateTag = async (
  trx: Trx, tag: { id: string; rule: Condition }, step: RefreshStep, options: EvaluationOptions = {},
): Promise<{ added: number; removed: number }> => {
  const ctx: CompileContext = { asOf: step.asOf, engine: options.engine ?? engineOf(trx), timezone: options.timezone ?? step.timezone ?? 'Asia/Shanghai' }
  const scope = { ctx, at: step.at, dirtyOnly: step.only === 'dirty' }
  // Removals first: a member's tag leaves before another tag's rule ("lacks tag X") reads it.
  const removed = await repo.removeUnmatched(trx, tag.id, tag.rule, scope, `${newId('tev')}_`)
  const added = await repo.addMatched(trx, tag.id, tag.rule, scope, `${newId('tev')}_`)
  return { added, removed }
}

/**
 * Re-evaluates the rule tags for the members the step covers (after the classes): adds and
 * removes member_tags with their reasons and events, and on a full refresh records the day's
 * counts per registration store. Called by the insight refresh inside its transaction. Tags
 * whose rules name other tags are evaluated after them, so "has tag 高价值客户" reads this
 * refresh's 高价值客户. Manual tags are left as the staff set them.
 */
export const evaluateTags = async (trx: Trx, step: RefreshStep, options: EvaluationOptions = {}): Promise<EvaluationResult> => {
  const rows = await repo.findTags(trx, 'active')
  const rules = rows.filter((r) => r.kind === 'rule' && r.rule).map((r) => ({ id: r.id, rule: JSON.parse(r.rule!) as Condition }))
  const byId = new Map(rules.map((r) => [r.id, r]))
  // A cycle cannot be saved (the service refuses it); were one there, its tags still run once each.
  const { order } = evaluationOrder(rules)
  const ordered = [...order, ...rules.map((r) => r.id).filter((id) => !order.includes(id))]
  let added = 0
  let removed = 0
  for (const id of ordered) {
    const tag = byId.get(id)
    if (!tag) continue
    const r = await evaluateTag(trx, tag, step, options)
    added += r.added
    removed += r.removed
  }
  if (step.only === 'all') await repo.writeTagCountsDaily(trx, step.asOf)
  return { tags: rules.length, added, removed }
}
