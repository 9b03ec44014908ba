import type { Permission, Role } from './permissions.js'
import { POS_PERMISSIONS, ROLE_PERMISSIONS } from './permissions.js'
import { forbidden } from './errors.js'

export type Actor =
  | { kind: 'staff'; userId: string; username: string; role: Role; storeId: string | null; ip?: string | null;
      /** a region manager's region, and its stores when the actor was authenticated (their scope) */
      regionId?: string | null; regionStoreIds?: readonly string[]; /** the chain requires two-factor sign-in of this user, who has not set it up: only that is open to them */ twoFactorSetupRequired?: true }
  | { kind: 'pos'; keyId: string; name: string; storeId: string; ip?: string | null }
  | { kind: 'system'; name: string }

export const can = (actor: Actor, permission: Permission): boolean => {
  switch (actor.kind) {
    case 'system': return true
    case 'pos': return POS_PERMISSIONS.has(permission)
    case 'staff': return ROLE_PERMISSIONS[actor.role].has(permission)
  }
}

export const assertCan = (actor: Actor, permission: Permission): void => {
  if (!can(actor, permission)) throw forbidden('FORBIDDEN', [], `this role may not ${permission}`)
}


export const actorId = (actor: Actor): string | null =>
  actor.kind === 'staff' ? actor.userId : actor.kind === 'pos' ? actor.keyId : null

export const actorName = (actor: Actor): string =>
  actor.kind === 'staff' ? actor.username : actor.name

export const actorStaffId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.userId : null)
