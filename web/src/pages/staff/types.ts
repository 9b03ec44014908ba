import type { FormRule as Rule } from 'antd'
import type { TFunction } from 'i18next'
import type { paths } from '../../api/schema.js'

export type StaffUser = paths['/api/v1/staff']['get']['responses']['200']['content']['application/json'][number]
export type Role = StaffUser['role']
export type PosKey = paths['/api/v1/pos-keys']['get']['responses']['200']['content']['application/json'][number]
export type CreatedPosKey = paths['/api/v1/pos-keys']['post']['responses']['201']['content']['application/json']
export type Store = paths['/api/v1/stores']['get']['responses']['200']['content']['application/json'][number]

export const ROLES: readonly Role[] = ['hq_admin', 'hq_marketing', 'analyst', 'store_manager', 'cashier', 'service_agent']
/** Roles that belong to one store (the server's STORE_ROLES); HQ roles have none. */
export const STORE_ROLES: readonly Role[] = ['store_manager', 'cashier', 'service_agent']
export const isStoreRole = (role: Role | undefined) => !!role && STORE_ROLES.includes(role)
/** The roles a store manager creates and manages in their own store (the server's STORE_MANAGED_ROLES). */
export const STORE_MANAGED_ROLES: readonly Role[] = ['cashier', 'service_agent']
/** Whether a user may manage `user`: chain-wide staff anyone, a store user only their store's cashiers and desk staff. */
export const mayManage = (myStoreId: string | null | undefined, user: StaffUser) =>
  !myStoreId || (user.storeId === myStoreId && STORE_MANAGED_ROLES.includes(user.role))

/** 2–32 of a-z 0-9 . _ -, starting with a letter or digit (stored lower-cased). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/

/** The server's password rules (passwords.ts), checked before sending. */
export const passwordRules = (t: TFunction<'org', 'staff'>, username: () => string | undefined): Rule[] => [
  { required: true },
  { min: 8, message: t('form.passwordTooShort') },
  { max: 200 },
  { pattern: /\D/, message: t('form.passwordDigitsOnly') },
  {
    validator: async (_, value?: string) => {
      const name = username()?.trim().toLowerCase()
      if (value && name && value.toLowerCase().includes(name)) throw new Error(t('form.passwordHasUsername'))
    },
  },
]
