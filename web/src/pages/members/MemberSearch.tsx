import { SearchOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Input, Space, Typography } from 'antd'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api, ApiError, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { lookupKey } from './lookup-key.js'
import { useErrorText } from './use-error-text.js'

const INVALID_KEY_MESSAGES = { phone: 'search.invalidPhone', idNumber: 'search.invalidIdNumber', email: 'search.invalidEmail' } as const

/** A format the server rejected says which key was wrong; not found, a bad card check digit etc. come from errors.<CODE>. */
const invalidKeyMessage = (t: TFunction<'members'>, err: unknown): string | null => {
  const field = err instanceof ApiError && err.code === 'VALIDATION' ? err.details[0]?.field : undefined
  return field && field in INVALID_KEY_MESSAGES ? t(INVALID_KEY_MESSAGES[field as keyof typeof INVALID_KEY_MESSAGES]) : null
}

/** One box for phone, card or ID number, as staff type whatever the member hands them; a hit opens the member. */
export const MemberSearch = () => {
  const { t } = useTranslation('members')
  const { can } = useSession()
  const navigate = useNavigate()
  const errorText = useErrorText()
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const search = async () => {
    const key = lookupKey(query)
    if (!key) {
      setError(t('search.unrecognized'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const member = await call(api.POST('/api/v1/members/lookup', { body: key }))
      await navigate(`/members/${member.id}`)
    } catch (err) {
      setError(invalidKeyMessage(t, err) ?? errorText(err))
      setBusy(false)
    }
  }

  return (
    <Card
      title={t('search.title')}
      extra={can('members.register') && (
        <Link to="/members/new"><Button type="primary" icon={<UserAddOutlined />} data-testid="member-register-link">{t('list.register')}</Button></Link>
      )}
    >
      <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
        <Input
          size="large" allowClear autoFocus value={query} placeholder={t('search.placeholder')} data-testid="member-search-input"
          onChange={(e) => { setQuery(e.target.value); setError(null) }}
          onPressEnter={() => void search()}
        />
        <Button size="large" type="primary" icon={<SearchOutlined />} loading={busy} onClick={() => void search()} data-testid="member-lookup-button">
          {t('search.button')}
        </Button>
      </Space.Compact>
      <div style={{ marginTop: 8 }}>
        {error
          ? <Alert type="warning" showIcon title={error} data-testid="member-search-error" style={{ maxWidth: 560 }} />
          : <Typography.Text type="secondary">{t('search.hint')}</Typography.Text>}
      </div>
    </Card>
  )
}
