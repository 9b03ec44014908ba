import { SearchOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Input, Space, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useSession } from '../../auth/session.js'
import { useMemberFinder } from './use-member-finder.js'

/** One box for phone, card or ID number, as staff type whatever the member hands them; a hit opens the member. */
export const MemberSearch = () => {
  const { t } = useTranslation('members')
  const { can } = useSession()
  const navigate = useNavigate()
  const [query, setQuery] = useState('')
  const { find, error, busy, clear } = useMemberFinder()

  const search = async () => {
    const member = await find(query)
    if (member) await navigate(`/members/${member.id}`)
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
          onChange={(e) => { setQuery(e.target.value); clear() }}
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
