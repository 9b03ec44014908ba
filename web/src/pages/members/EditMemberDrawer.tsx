import { App, Button, Drawer, Form, Space } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { clearServerErrors, showFieldErrors } from '../../components/errors.js'
import { localizeFieldErrors } from '../../components/field-errors.js'
import { PII_FIELDS, type Member } from '../../shared/member-options.js'
import type { Revealed } from './MemberProfile.js'
import { ProfileFields, toApiProfile, type ProfileValues } from './ProfileFields.js'
import { useErrorText } from '../../hooks/use-error-text.js'

/**
 * The profile form over the member's current values. PII comes masked, so unless it was
 * revealed its fields start empty (masked value as placeholder) and empty means unchanged.
 * Only the fields that differ are sent. Mounted while open, so each opening starts from the
 * member as it is now.
 */
export const EditMemberDrawer = ({ member, revealed, onClose, onSaved }: {
  member: Member
  revealed: Revealed | null
  onClose(): void
  onSaved(m: Member): void
}) => {
  const { t } = useTranslation('members')
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [form] = Form.useForm<ProfileValues>()
  const [busy, setBusy] = useState(false)

  // Beside an ID number the API gives the birthday's year only (1985-**-**): like masked PII,
  // unless revealed the field starts empty and empty means unchanged.
  const birthdayMasked = Boolean(member.birthday?.includes('*'))
  const birthdayKnown = !birthdayMasked || revealed?.birthday !== undefined
  const knownBirthday = revealed?.birthday !== undefined ? revealed.birthday : birthdayMasked ? null : member.birthday
  const initial = useMemo<ProfileValues>(() => ({
    ...Object.fromEntries(PII_FIELDS.map((f) => [f, revealed ? revealed[f] ?? null : null])),
    gender: member.gender,
    birthday: knownBirthday ? dayjs(knownBirthday) : null,
    occupation: member.occupation,
    education: member.education,
    incomeBand: member.incomeBand,
    district: member.district,
  }), [member, revealed, knownBirthday])

  const save = async (values: ProfileValues) => {
    const before = toApiProfile(initial)
    const after = toApiProfile(values)
    const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => {
      // A masked field left empty keeps its value.
      if (!revealed && (PII_FIELDS as string[]).includes(k) && v === null) return false
      if (!birthdayKnown && k === 'birthday' && v === null) return false
      return v !== before[k as keyof typeof before]
    }))
    if (Object.keys(changed).length === 0) {
      void message.info(t('edit.noChanges'))
      onClose()
      return
    }
    setBusy(true)
    try {
      const updated = await call(api.PATCH('/api/v1/members/{id}', { params: { path: { id: member.id } }, body: changed }))
      void message.success(t('edit.saved'))
      onSaved(updated)
    } catch (err) {
      showFieldErrors(form, localizeFieldErrors(t, err))
      void message.error(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Drawer
      title={t('edit.title')} open onClose={onClose} size={720}
      extra={(
        <Space>
          <Button onClick={onClose}>{tc('actions.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="member-edit-save">{t('edit.save')}</Button>
        </Space>
      )}
    >
      <Form<ProfileValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void save(v)} onValuesChange={clearServerErrors(form)} data-testid="member-edit-form">
        <ProfileFields
          requirePhone={false}
          placeholders={revealed ? undefined : Object.fromEntries(PII_FIELDS.map((f) => [f, member[f] ? `${member[f]}（${t('edit.piiHint')}）` : null]))}
        />
      </Form>
    </Drawer>
  )
}
