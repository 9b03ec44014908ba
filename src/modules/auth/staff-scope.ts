import type { Actor } from '../../shared/actor.js'
import { assertInScope as assertStoreScope, homeStoreId, isChainWide } from '../../shared/scope.js'
import { forbidden } from '../../shared/errors.js'
import { isRegionRole, type Role } from '../../shared/permissions.js'

/** The roles a store manager may create and manage, in their own store only. */
export const STORE_MANAGED_ROLES: readonly Role[] = ['cashier', 'service_agent']
/** The roles a region manager may create and manage, in their region's stores only. */
export const REGION_MANAGED_ROLES: readonly Role[] = ['store_manager', 'cashier', 'service_agent']

const managedBy = (actor: Actor): readonly Role[] =>
  actor.kind === 'staff' && isRegionRole(actor.role) ? REGION_MANAGED_ROLES : STORE_MANAGED_ROLES

const roleRefused = (actor: Actor, role: Role) => forbidden('STAFF_ROLE_NOT_MANAGEABLE', [{
  field: 'role',
  reason: actor.kind === 'staff' && isRegionRole(actor.role)
    ? `a region manager manages only the store managers, cashiers and service desk staff of the region's stores, not a ${role}`
    : `a store manager manages only cashiers and service desk staff, not a ${role}`,
}])

/**
 * The store a new account goes to, checked against who creates it: chain-wide actors as asked;
 * a store manager only cashiers and desk staff of their own store (their store if none is named);
 * a region manager store staff of one of the region's stores (named).
 */
export const storeForNewUser = (actor: Actor, role: Role, storeId: string | null): string | null => {
  if (isChainWide(actor)) return storeId
  if (!managedBy(actor).includes(role)) throw roleRefused(actor, role)
  const target = storeId ?? homeStoreId(actor)
  // A region manager who names no store: the role's own check says the role belongs to a store.
  if (target === null) return null
  assertStoreScope(actor, target, 'store')
  return target
}

/**
 * Whether `actor` may change (or reset the password of) `user`, and change it to `next`: a store
 * manager only their own store's cashiers and desk staff, a region manager only the store staff of
 * the region's stores, and never into another role or a store outside their scope.
 */
export const assertMayManageUser = (
  actor: Actor,
  user: { role: Role; store_id: string | null },
  next: { role: Role; storeId: string | null } = { role: user.role, storeId: user.store_id },
): void => {
  if (isChainWide(actor)) return
  assertStoreScope(actor, user.store_id, 'staff user')
  if (!managedBy(actor).includes(user.role)) throw roleRefused(actor, user.role)
  if (!managedBy(actor).includes(next.role)) throw roleRefused(actor, next.role)
  assertStoreScope(actor, next.storeId, 'store')
}
