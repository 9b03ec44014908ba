import { Form, Input, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { FormModal } from '../../components/FormModal.js'
import { useSession } from '../../auth/session.js'
import { isRegionRole, isStoreRole, managedRoles, managedStores, passwordRules, USERNAME, type Role, type StaffUser, type Store } from './types.js'

interface Values {
  username: string
  displayName: string
  password: string
  role: Role | undefined
  storeId: string | null
  regionId: string | null
}

/** The store choices: open stores, plus the user's own store should it be closed. */
export const storeOptions = (stores: Store[], current: string | null | undefined, closedLabel: string) =>
  stores.filter((s) => s.status === 'open' || s.id === current).map((s) => ({
    value: s.id,
    label: `${s.code} ${s.name}${s.status === 'closed' ? ` (${closedLabel})` : ''}`,
  }))

/** Creates a staff account, or changes one's name, role and store (`user`). */
export const UserFormModal = ({ open, user, stores, onClose, onSaved }: {
  open: boolean
  user: StaffUser | null
  stores: Store[]
  onClose: () => void
  onSaved: (user: StaffUser, created: boolean) => void
}) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const { t: tc } = useTranslation()
  const [form] = Form.useForm<Values>()
  const role = Form.useWatch('role', form)
  // A store manager adds cashiers and desk staff to their own store: no store to choose; a region
  // manager adds store staff to one of the region's stores; HQ any role, region managers to a region.
  const me = useSession().user
  const myStoreId = me && isStoreRole(me.role) ? me.storeId : null
  const own = managedStores(me, stores)
  const roles = managedRoles(me)
  const needsStore = isStoreRole(role) && !myStoreId
  const needsRegion = isRegionRole(role)
  const { data: regions } = useApiQuery('/api/v1/regions', {}, { enabled: own === null })

  const submit = async (v: Values) => {
    const storeId = myStoreId ?? (isStoreRole(v.role) ? v.storeId : null)
    const regionId = isRegionRole(v.role) ? v.regionId : null
    const saved = user
      ? await call(api.PATCH('/api/v1/staff/{id}', { params: { path: { id: user.id } }, body: { displayName: v.displayName.trim() || user.username, role: v.role, storeId, regionId } }))
      : await call(api.POST('/api/v1/staff', {
        body: { username: v.username.trim().toLowerCase(), displayName: v.displayName.trim() || undefined, password: v.password, role: v.role!, storeId, regionId },
      }))
    onSaved(saved, !user)
  }

  return (
    <FormModal
      open={open} title={user ? t('editTitle', { username: user.username }) : t('createTitle')} onClose={onClose}
      form={form} name="staff" formTestId="user-form" onSubmit={submit} submitTestId="user-form-submit"
      initialValues={{ username: user?.username ?? '', displayName: user?.displayName ?? '', password: '', role: user?.role, storeId: user?.storeId ?? null, regionId: user?.regionId ?? null }}
    >
      {!user && (
        <Form.Item
          name="username" label={t('form.username')} extra={t('form.usernameHelp')}
          normalize={(v: string) => v.toLowerCase()}
          rules={[{ required: true }, { pattern: USERNAME, message: t('form.usernamePattern') }]}
        >
          <Input data-testid="user-username" autoComplete="off" maxLength={32} />
        </Form.Item>
      )}
      <Form.Item name="displayName" label={t('form.displayName')} extra={user ? undefined : t('form.displayNameHelp')} rules={user ? [{ required: true, whitespace: true }, { max: 64 }] : [{ max: 64 }]}>
        <Input data-testid="user-display-name" maxLength={64} />
      </Form.Item>
      {!user && (
        <Form.Item
          name="password" label={t('form.password')} extra={t('form.passwordHelp')} dependencies={['username']}
          rules={passwordRules(t, () => form.getFieldValue('username') as string | undefined)}
        >
          <Input.Password data-testid="user-password" autoComplete="new-password" />
        </Form.Item>
      )}
      <Form.Item name="role" label={t('form.role')} rules={[{ required: true }]}>
        <Select data-testid="user-role" options={roles.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} />
      </Form.Item>
      {needsStore && (
        <Form.Item name="storeId" label={t('form.store')} extra={t('form.storeHelp')} rules={[{ required: true }]}>
          <Select
            data-testid="user-store" showSearch={{ optionFilterProp: 'label' }} placeholder={t('form.storePlaceholder')}
            options={storeOptions(own ?? stores, user?.storeId, t('posKeys.storeClosed'))}
          />
        </Form.Item>
      )}
      {needsRegion && (
        <Form.Item name="regionId" label={t('form.region')} extra={t('form.regionHelp')} rules={[{ required: true }]}>
          <Select
            data-testid="user-region" placeholder={t('form.regionPlaceholder')}
            options={(regions ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.name}` }))}
          />
        </Form.Item>
      )}
    </FormModal>
  )
}

/** Sets a new password for a user (ends their sessions). */
export const ResetPasswordModal = ({ user, onClose, onDone }: { user: StaffUser | null; onClose: () => void; onDone: () => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'staff' })
  const [form] = Form.useForm<{ password: string; confirm: string }>()

  const submit = async ({ password }: { password: string }) => {
    if (!user) return
    await call(api.POST('/api/v1/staff/{id}/password', { params: { path: { id: user.id } }, body: { password } }))
    onDone()
  }

  return (
    <FormModal
      open={user !== null} title={user ? t('resetTitle', { username: user.username }) : ''} onClose={onClose} submitLabel={t('resetPassword')}
      form={form} name="reset-password" onSubmit={submit} submitTestId="reset-password-submit"
    >
      <Typography.Paragraph type="secondary">{t('resetHint')}</Typography.Paragraph>
      <Form.Item name="password" label={t('form.newPassword')} extra={t('form.passwordHelp')} rules={passwordRules(t, () => user?.username)}>
        <Input.Password data-testid="reset-password" autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm" label={t('form.confirmPassword')} dependencies={['password']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: async (_, value?: string) => {
              if (value && value !== getFieldValue('password')) throw new Error(t('form.passwordMismatch'))
            },
          }),
        ]}
      >
        <Input.Password data-testid="reset-password-confirm" autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  )
}
