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
  /** a region manager's region (null for every other role) */
  regionId: Nullable(Type.String()),
  status: Type.Enum(['active', 'disabled']),
  /** signs in with a code from an authenticator app too */
  twoFactor: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  /** the 6-digit code of the authenticator app, for an account with two-factor sign-in */
  code: Type.Optional(Type.String({ maxLength: 16 })),
}, { additionalProperties: false })

export const SessionSchema = Type.Object({
  user: StaffUserSchema,
  permissions: Type.Array(Type.Enum([...PERMISSIONS])),
  expiresAt: Type.Optional(Type.String()),
  /** the chain requires two-factor sign-in of this user, who must set it up before anything else */
  twoFactorSetupRequired: Type.Optional(Type.Boolean()),
})

export const TwoFactorStatusSchema = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Nullable(Type.String()),
  /** the chain requires it of this user's role */
  required: Type.Boolean(),
})

export const TwoFactorSetupSchema = Type.Object({
  /** base32, for typing into the app when the QR cannot be scanned */
  secret: Type.String(),
  /** the otpauth:// address the QR holds */
  uri: Type.String(),
})

export const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })
export const CodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false })
export const DisableTwoFactorBody = Type.Object({
  password: Type.String({ minLength: 1, maxLength: 200 }),
  code: Type.String({ minLength: 1, maxLength: 16 }),
}, { additionalProperties: false })

export const SecuritySettingsSchema = Type.Object({
  sessionIdleMinutes: Type.Integer({ description: 'a session unused this long ends (5–1440 minutes)' }),
  sessionAbsoluteHours: Type.Integer({ description: 'a session ends this long after sign-in, however much it is used (1–720 hours)' }),
  requireTwoFactorForHqAdmins: Type.Boolean({ description: 'HQ administrators must sign in with a code from an authenticator app' }),
})
export const SecuritySettingsBody = Type.Partial(SecuritySettingsSchema, { additionalProperties: false })

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
  /** a region manager's region (required for that role, refused for every other) */
  regionId: Type.Optional(Nullable(Type.String())),
}, { additionalProperties: false })

export const UpdateUserBody = Type.Object({
  displayName: Type.Optional(Type.String({ maxLength: 64 })),
  role: Type.Optional(RoleSchema),
  storeId: Type.Optional(Nullable(Type.String())),
  regionId: Type.Optional(Nullable(Type.String())),
  status: Type.Optional(Type.Enum(['active', 'disabled'])),
}, { additionalProperties: false })

export const ResetPasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })

export const ListUsersQuery = Type.Object({
  storeId: Type.Optional(Type.String()),
  regionId: Type.Optional(Type.String()),
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
