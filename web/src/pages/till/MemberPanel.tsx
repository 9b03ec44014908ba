import { CloseOutlined, IdcardOutlined, WarningOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Flex, Input, Space, Statistic, Tag, Typography, type InputRef } from 'antd'
import { useEffect, useState, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, ApiError, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { DEFAULT_TIMEZONE, formatCount, formatDate } from '../../format.js'
import type { Member } from '../../shared/member-options.js'
import { MemberStatusTag } from '../../components/MemberStatusTag.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { MemberInsightBadges } from './MemberInsightBadges.js'
import { RegisterStep } from './RegisterStep.js'
import { parseScan } from './scan.js'
import type { MemberPoints } from './types.js'

interface MemberPanelProps {
  member: Member | null
  storeId: string | null
  inputRef: RefObject<InputRef | null>
  onSelect(member: Member | null): void
  /** the member part is done (found, registered, or skipped): on to the basket */
  onDone(): void
}

/** The member's standing at a glance: tier, balance (red when negative), what expires next. */
const MemberCard = ({ member, onRemove }: { member: Member; onRemove(): void }) => {
  const { t } = useTranslation('till')
  const { t: tm } = useTranslation('members')
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [points, setPoints] = useState<MemberPoints | null>(null)
  const [failed, setFailed] = useState(false)
  const allowed = can('loyalty.read')

  useEffect(() => {
    if (!allowed) return
    let live = true
    call(api.GET('/api/v1/members/{id}/points', { params: { path: { id: member.id } } }))
      .then((p) => live && setPoints(p), () => live && setFailed(true))
    return () => {
      live = false
    }
  }, [member.id, allowed])

  const next = points?.expiring[0]
  return (
    <Card size="small" type="inner" data-testid="till-member" style={{ marginTop: 12 }}>
      <Flex justify="space-between" align="flex-start" gap={12}>
        <Space orientation="vertical" size={2}>
          <Space wrap>
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="till-member-name">{member.name ?? tm('noName')}</Typography.Text>
            {points?.tier && <Tag color="gold" data-testid="till-member-tier">{points.tier.name}</Tag>}
            {member.status !== 'active' && <MemberStatusTag status={member.status} />}
          </Space>
          <Typography.Text type="secondary">
            <IdcardOutlined /> {member.cardNo} · {member.phone ?? '—'}
          </Typography.Text>
          {can('members.read') && <Link to={`/members/${member.id}`} target="_blank" data-testid="till-member-link">{t('member.open')}</Link>}
        </Space>
        <Button type="text" icon={<CloseOutlined />} onClick={onRemove} aria-label={t('member.remove')} data-testid="till-member-remove" />
      </Flex>
      {points && (
        <Flex gap={32} wrap style={{ marginTop: 8 }}>
          <Statistic
            title={t('member.balance')} value={formatCount(points.balance)} valueRender={(node) => <span data-testid="till-member-balance">{node}</span>}
            styles={{ content: { color: points.negative ? '#cf1322' : undefined } }}
          />
          <Statistic title={t('member.spendable')} value={formatCount(points.spendable)} valueRender={(node) => <span data-testid="till-member-spendable">{node}</span>} />
          {next && <Statistic title={t('member.expiring', { date: formatDate(next.expiresOn, tz) })} value={formatCount(next.points)} valueRender={(node) => <span data-testid="till-member-expiring">{node}</span>} />}
        </Flex>
      )}
      {member.profile && <MemberInsightBadges profile={member.profile} />}
      {points?.negative && <Alert type="error" showIcon icon={<WarningOutlined />} style={{ marginTop: 8 }} title={t('member.negative')} data-testid="till-member-negative" />}
      {member.status === 'frozen' && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('member.frozen')} />}
      {failed && <Typography.Text type="secondary">{t('member.pointsUnavailable')}</Typography.Text>}
    </Card>
  )
}

/**
 * Step one of a sale: whom it is for. One box takes a scanned member QR code, a card number or
 * a phone; Enter finds the member, an unknown phone offers registration, an empty Enter sells
 * without a member.
 */
export const MemberPanel = ({ member, storeId, inputRef, onSelect, onDone }: MemberPanelProps) => {
  const { t } = useTranslation('till')
  const { can } = useSession()
  const errorText = useErrorText()
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [registerPhone, setRegisterPhone] = useState<string | null>(null)

  const select = (m: Member) => {
    onSelect(m)
    setQuery('')
    setRegisterPhone(null)
    onDone()
  }

  const find = async () => {
    if (busy) return
    const text = query.trim()
    if (!text) {
      onDone()
      return
    }
    const key = parseScan(text)
    if (!key) {
      setError(t('member.unrecognized'))
      return
    }
    setBusy(true)
    setError(null)
    setRegisterPhone(null)
    try {
      select(await call(api.POST('/api/v1/members/lookup', { body: key })))
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MEMBER_NOT_FOUND' && 'phone' in key && can('members.register')) setRegisterPhone(key.phone)
      else if (err instanceof ApiError && err.code === 'VALIDATION' && 'phone' in key) setError(t('member.invalidPhone'))
      else setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card title={t('member.title')} size="small" extra={<Tag>F2</Tag>}>
      <Input
        ref={inputRef} size="large" autoFocus allowClear value={query} placeholder={t('member.placeholder')} data-testid="till-member-input"
        onChange={(e) => { setQuery(e.target.value); setError(null) }}
        onPressEnter={(e) => { if (!e.nativeEvent.isComposing) void find() }}
        suffix={busy ? <Typography.Text type="secondary">{t('member.finding')}</Typography.Text> : undefined}
      />
      {error && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={error} data-testid="till-member-error" />}
      {registerPhone && (
        <RegisterStep
          key={registerPhone} phone={registerPhone} storeId={storeId} onRegistered={select}
          onCancel={() => { setRegisterPhone(null); inputRef.current?.focus() }}
        />
      )}
      {!registerPhone && !member && !error && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>{t('member.hint')}</Typography.Text>
      )}
      {member && <MemberCard key={member.id} member={member} onRemove={() => { onSelect(null); inputRef.current?.focus() }} />}
    </Card>
  )
}
