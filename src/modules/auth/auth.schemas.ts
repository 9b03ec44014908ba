import { Type } from 'typebox'
import { Nullable } from '../../shared/http/schemas.js'
import { PERMISSIONS, ROLES } from '../../shared/permissions.js'

export const RoleSchema = Type.Enum([...ROLES])

export const StaffUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  storeId: Nullable(Type.String()),
  status: Type.Enum(['active', 'disabled']),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const SessionSchema = Type.Object({
  user: StaffUserSchema,
  permissions: Type.Array(Type.Enum([...PERMISSIONS])),
  expiresAt: Type.Optional(Type.String()),
})

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const CreateUserBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  displayName: Type.Optional(Type.String({ maxLength: 64 })),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  storeId: Type.Optional(Nullable(Type.String())),
}, { additionalProperties: false })

export const UpdateUserBody = Type.Object({
  displayName: Type.Optional(Type.String({ maxLength: 64 })),
  role: Type.Optional(RoleSchema),
  storeId: Type.Optional(Nullable(Type.String())),
  status: Type.Optional(Type.Enum(['active', 'disabled'])),
}, { additionalProperties: false })

export const ResetPasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })

export const ListUsersQuery = Type.Object({
  storeId: Type.Optional(Type.String()),
  role: Type.Optional(RoleSchema),
}, { additionalProperties: false })

export const PosKeySchema = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  name: Type.String(),
  keyPrefix: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
})

export const CreatedPosKeySchema = Type.Object({
  ...PosKeySchema.properties,
  key: Type.String({ description: 'The key itself: shown once, store it in the till now.' }),
})

export const CreatePosKeyBody = Type.Object({
  storeId: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
}, { additionalProperties: false })
