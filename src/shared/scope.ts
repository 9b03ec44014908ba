import type { ReferenceExpression, SelectQueryBuilder } from 'kysely'
import { isStoreRole } from '../modules/auth/permissions.js'
import type { Actor } from './actor.js'
import { forbidden } from './errors.js'

/**
 * Store scope, in one place. A store's staff and tills see and manage their own store's data
 * only; HQ roles and the system see the chain. Every list of a scoped role narrows its query
 * with `scopeToStore`, every action on one entity checks it with `assertInScope`, and every
 * store filter a client sends goes through `storeFilterFor`; services name only which column
 * holds the entity's store (a receipt's store, a member's registration store, a coupon's
 * member's store, a gift order's pick-up store).
 *
 * Regions come later as another kind of scope: `{ kind: 'region'; regionId }`, applied by the
 * same three functions through the store's region, so no service changes.
 */
export type Scope = { kind: 'chain' } | { kind: 'store'; storeId: string }

export const scopeOf = (actor: Actor): Scope => {
  if (actor.kind === 'pos') return { kind: 'store', storeId: actor.storeId }
  if (actor.kind === 'staff' && isStoreRole(actor.role)) {
    // A store role without a store (a misconfigured account) sees nothing rather than everything.
    return { kind: 'store', storeId: actor.storeId ?? '' }
  }
  return { kind: 'chain' }
}

/** The store an actor is confined to, or null for chain-wide actors. */
export const scopedStoreId = (actor: Actor): string | null => {
  const scope = scopeOf(actor)
  return scope.kind === 'store' ? scope.storeId : null
}

export interface ScopeOptions {
  /**
   * Rows without a store are everyone's (a draw's gift prize waiting for whichever store the
   * member walks into); otherwise a row without a store is HQ's, outside every store's scope.
   */
  orUnassigned?: boolean
}

/**
 * Narrows a query to the rows in the actor's scope; `column` holds the row's store (joined if
 * the store is another table's, e.g. `members.registration_store_id` for coupons).
 */
export const scopeToStore = <DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>, actor: Actor, column: ReferenceExpression<DB, TB>, options: ScopeOptions = {},
): SelectQueryBuilder<DB, TB, O> => {
  const scope = scopeOf(actor)
  if (scope.kind === 'chain') return qb
  return options.orUnassigned
    ? qb.where((eb) => eb.or([eb(column, '=', scope.storeId), eb(column, 'is', null)]))
    : qb.where(column, '=', scope.storeId)
}

/** Whether an entity of `storeId` is in the actor's scope. */
export const isInScope = (actor: Actor, storeId: string | null | undefined, options: ScopeOptions = {}): boolean => {
  const scope = scopeOf(actor)
  if (scope.kind === 'chain') return true
  if (storeId === null || storeId === undefined) return options.orUnassigned === true
  return storeId === scope.storeId
}

/** Refuses an action on one entity outside the actor's scope (403 OUT_OF_STORE_SCOPE). */
export const assertInScope = (actor: Actor, storeId: string | null | undefined, what = 'member', options: ScopeOptions = {}): void => {
  if (!isInScope(actor, storeId, options)) throw forbidden('OUT_OF_STORE_SCOPE', [], `this ${what} belongs to another store`)
}

/**
 * The store a list is filtered by: a store role's own (asking for another store is refused,
 * not silently answered with its own), a chain role's choice or none.
 */
export const storeFilterFor = (actor: Actor, requested: string | null | undefined, field = 'storeId', reason = 'you can see only your own store'): string | undefined => {
  const scope = scopeOf(actor)
  if (scope.kind === 'chain') return requested ?? undefined
  if (requested !== undefined && requested !== null && requested !== scope.storeId) {
    throw forbidden('OUT_OF_STORE_SCOPE', [{ field, reason }], reason)
  }
  return scope.storeId
}
