import type { Actor } from '../../shared/actor.js'
import { assertInScope as assertStoreScope, scopedStoreId } from '../../shared/scope.js'
import { forbidden } from '../../shared/errors.js'
import type { Role } from '../../shared/permissions.js'

/** The roles a store manager may create and manage, in their own store only. */
export const STORE_MANAGED_ROLES: readonly Role[] = ['cashier', 'service_agent']

const roleRefused = (role: Role) =>
  forbidden('STAFF_ROLE_NOT_MANAGEABLE', [{ field: 'role', reason: `a store manager manages only cashiers and service desk staff, not a ${role}` }])

/**
 * The store a new account goes to, checked against who creates it: chain-wide actors as asked;
 * a store manager only cashiers and desk staff of their own store (their store if none is named).
 */
export const storeForNewUser = (actor: Actor, role: Role, storeId: string | null): string | null => {
  const scope = scopedStoreId(actor)
  if (scope === null) return storeId
  if (!STORE_MANAGED_ROLES.includes(role)) throw roleRefused(role)
  const target = storeId ?? scope
  assertStoreScope(actor, target, 'store')
  return target
}

/**
 * Whether `actor` may change (or reset the password of) `user`, and change it to `next`: a store
 * manager only their own store's cashiers and desk staff, and never into another role or store.
 */
export const assertMayManageUser = (
  actor: Actor,
  user: { role: Role; store_id: string | null },
  next: { role: Role; storeId: string | null } = { role: user.role, storeId: user.store_id },
): void => {
  if (scopedStoreId(actor) === null) return
  assertStoreScope(actor, user.store_id, 'staff user')
  if (!STORE_MANAGED_ROLES.includes(user.role)) throw roleRefused(user.role)
  if (!STORE_MANAGED_ROLES.includes(next.role)) throw roleRefused(next.role)
  assertStoreScope(actor, next.storeId, 'store')
}
