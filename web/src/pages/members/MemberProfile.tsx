import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Descriptions, type DescriptionsProps } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatDate, formatDateTime } from '../../format.js'
import type { Member, PiiField } from '../../shared/member-options.js'
import { useErrorText } from '../../hooks/use-error-text.js'

/** What a reveal gave: the PII, and the birthday (masked to its year beside an ID number). */
export type Revealed = Partial<Record<PiiField | 'birthday', string | null>>

/**
 * The member's file, masked as the API gives it. Revealing asks the server for the full
 * values (it records who looked) and shows them in place until hidden.
 */
export const MemberProfile = ({ member, revealed, onRevealed }: { member: Member; revealed: Revealed | null; onRevealed(r: Revealed | null): void }) => {
  const { t } = useTranslation('members')
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const [busy, setBusy] = useState(false)
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE

  const reveal = async () => {
    setBusy(true)
    try {
      onRevealed(await call(api.POST('/api/v1/members/{id}/reveal', { params: { path: { id: member.id } }, body: {} })))
    } catch (err) {
      void message.error(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const pii = (field: PiiField) => revealed
    ? <strong data-testid={`revealed-${field}`}>{revealed[field] ?? '—'}</strong>
    : <span data-testid={`member-${field}`}>{member[field] ?? '—'}</span>

  const items: DescriptionsProps['items'] = [
    { key: 'cardNo', label: t('fields.cardNo'), children: member.cardNo },
    { key: 'phone', label: t('fields.phone'), children: pii('phone') },
    { key: 'name', label: t('fields.name'), children: pii('name') },
    { key: 'gender', label: t('fields.gender'), children: t(`genders.${member.gender}`) },
    {
      key: 'birthday', label: t('fields.birthday'),
      children: revealed && revealed.birthday !== undefined
        ? <strong data-testid="revealed-birthday">{formatDate(revealed.birthday, tz)}</strong>
        : <span data-testid="member-birthday">{formatDate(member.birthday, tz)}</span>,
    },
    { key: 'idNumber', label: t('fields.idNumber'), children: pii('idNumber') },
    { key: 'email', label: t('fields.email'), children: pii('email') },
    { key: 'occupation', label: t('fields.occupation'), children: member.occupation ? t(`occupations.${member.occupation}`) : '—' },
    { key: 'education', label: t('fields.education'), children: member.education ? t(`educations.${member.education}`) : '—' },
    { key: 'incomeBand', label: t('fields.incomeBand'), children: member.incomeBand ? t(`incomeBands.${member.incomeBand}`) : '—' },
    { key: 'district', label: t('fields.district'), children: member.district ?? '—' },
    { key: 'address', label: t('fields.address'), children: pii('address'), span: 2 },
    { key: 'store', label: t('fields.registrationStore'), children: member.registrationStoreName ?? (member.registrationStoreId ? '—' : t('unassignedStore')) },
    { key: 'clerk', label: t('fields.registeredBy'), children: member.registeredByName ?? '—' },
    { key: 'channel', label: t('fields.channel'), children: t(`channels.${member.registrationChannel}`) },
    { key: 'registeredAt', label: t('fields.registeredAt'), children: formatDateTime(member.registeredAt, tz) },
    ...(member.externalCode ? [{ key: 'externalCode', label: t('fields.externalCode'), children: member.externalCode }] : []),
    { key: 'updatedAt', label: t('fields.updatedAt'), children: formatDateTime(member.updatedAt, tz) },
  ]

  const canReveal = can('members.reveal') && member.status !== 'merged'
  return (
    <Card
      variant="borderless"
      extra={canReveal && (revealed
        ? <Button icon={<EyeInvisibleOutlined />} onClick={() => onRevealed(null)} data-testid="member-hide">{t('reveal.hide')}</Button>
        : <Button icon={<EyeOutlined />} loading={busy} onClick={() => void reveal()} data-testid="member-reveal">{t('reveal.button')}</Button>)}
    >
      {revealed && <Alert type="info" showIcon title={t('reveal.logged')} style={{ marginBottom: 16 }} data-testid="reveal-logged" />}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} data-testid="member-profile" />
    </Card>
  )
}
