import { Button, Card, Descriptions, Flex, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useApiPages } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { DEFAULT_TIMEZONE, formatDateTime } from '../../../format.js'
import { SuggestionDrawer } from '../suggestions/SuggestionDrawer.js'
import { STATUS_COLORS, type Suggestion } from '../suggestions/suggestion-words.js'

/** The member's suggestions and survey answers, newest first, on the member page's 服务 tab. */
export const MemberFeedback = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [open, setOpen] = useState<string | null>(null)
  const read = { params: { path: { id: memberId } } }
  const suggestions = useApiPages('/api/v1/members/{id}/suggestions', read)
  const responses = useApiPages('/api/v1/members/{id}/survey-responses', read)
  const more = (p: { nextCursor: string | null; loadingMore: boolean; more: () => void }) =>
    p.nextCursor && <div style={{ textAlign: 'center', marginTop: 12 }}><Button loading={p.loadingMore} onClick={p.more}>{tc('actions.loadMore')}</Button></div>

  return (
    <Flex vertical gap={16} data-testid="member-feedback">
      <Card size="small" title={t('member.suggestions')}>
        {suggestions.error ? <ErrorResult error={suggestions.error} onRetry={suggestions.load} compact /> : (
          <>
            <Table<Suggestion>
              rowKey="id" size="small" pagination={false} dataSource={suggestions.items ?? []} loading={suggestions.items === null}
              locale={{ emptyText: t('member.noSuggestions') }} data-testid="member-suggestions"
              columns={[
                { key: 'number', title: t('suggestions.columns.number'), width: 150, render: (_, s) => <Typography.Link onClick={() => setOpen(s.id)}>{s.number}</Typography.Link> },
                { key: 'createdAt', title: t('suggestions.columns.createdAt'), width: 140, render: (_, s) => formatDateTime(s.createdAt, tz) },
                { key: 'category', title: t('suggestions.columns.category'), width: 100, render: (_, s) => t(`categories.${s.category}`) },
                { key: 'text', title: t('suggestions.columns.text'), render: (_, s) => <Typography.Text ellipsis={{ tooltip: s.text }} style={{ maxWidth: 420 }}>{s.text}</Typography.Text> },
                { key: 'status', title: t('suggestions.columns.status'), width: 90, render: (_, s) => <Tag color={STATUS_COLORS[s.status]}>{t(`statuses.${s.status}`)}</Tag> },
              ]}
            />
            {more(suggestions)}
          </>
        )}
      </Card>
      <Card size="small" title={t('member.surveys')}>
        {responses.error ? <ErrorResult error={responses.error} onRetry={responses.load} compact /> : (
          <>
            <Table
              rowKey="id" size="small" pagination={false} dataSource={responses.items ?? []} loading={responses.items === null}
              locale={{ emptyText: t('member.noResponses') }} data-testid="member-survey-responses"
              expandable={{
                expandedRowRender: (r) => (
                  <Descriptions size="small" column={1} bordered>
                    {r.answers.map((a) => <Descriptions.Item key={a.questionId} label={a.label}>{a.answer}</Descriptions.Item>)}
                  </Descriptions>
                ),
              }}
              columns={[
                { key: 'survey', title: t('member.survey'), render: (_, r) => <Link to={`/service/surveys/${r.surveyId}`}>{r.surveyTitle}</Link> },
                { key: 'at', title: t('member.submittedAt'), width: 140, render: (_, r) => formatDateTime(r.submittedAt, tz) },
                { key: 'store', title: t('suggestions.columns.store'), width: 120, render: (_, r) => r.storeName ?? '—' },
                { key: 'csat', title: 'CSAT', width: 70, align: 'right', render: (_, r) => r.csat ?? '—' },
                { key: 'nps', title: 'NPS', width: 70, align: 'right', render: (_, r) => r.nps ?? '—' },
              ]}
            />
            {more(responses)}
          </>
        )}
      </Card>
      <SuggestionDrawer id={open} onClose={() => setOpen(null)} />
    </Flex>
  )
}
