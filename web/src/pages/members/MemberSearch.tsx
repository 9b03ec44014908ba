import { SearchOutlined, UserAddOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Input, List, Space, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useSession } from '../../auth/session.js'
import type { Member } from '../../shared/member-options.js'
import { useMemberFinder } from '../../hooks/use-member-finder.js'

/**
 * One box for phone, card, ID number or full name, as staff type whatever the member hands them
 * or says; one hit opens the member, several of one name are listed to choose from.
 */
export const MemberSearch = () => {
  const { t } = useTranslation('members')
  const { can } = useSession()
  const navigate = useNavigate()
  const [query, setQuery] = useState('')
  const { search: find, error, busy, clear } = useMemberFinder()
  const [choices, setChoices] = useState<Member[]>([])

  const search = async () => {
    setChoices([])
    const found = await find(query)
    if (found?.length === 1) await navigate(`/members/${found[0]!.id}`)
    else if (found) setChoices(found)
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
          onChange={(e) => { setQuery(e.target.value); setChoices([]); clear() }}
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
      {choices.length > 0 && (
        <List
          style={{ marginTop: 12, maxWidth: 560 }} size="small" bordered header={t('search.sameName', { count: choices.length })} data-testid="member-search-choices"
          dataSource={choices}
          renderItem={(m) => (
            <List.Item key={m.id}>
              <Link to={`/members/${m.id}`} data-testid="member-search-choice">
                <Space size="middle" wrap>
                  <strong>{m.name ?? t('noName')}</strong>
                  <span>{m.phone ?? '—'}</span>
                  <span>{t('fields.cardNo')} {m.cardNo}</span>
                  <span>{m.birthday ?? ''}</span>
                  <span>{t(`statuses.${m.status}`)}</span>
                </Space>
              </Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  )
}
