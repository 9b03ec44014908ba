import { App, Breadcrumb, type ButtonProps, Button, Card, Flex, Popconfirm, Skeleton, Space, Tabs, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { useApiMutation, useApiQuery, useSetApiData } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { useErrorText } from '../../../hooks/use-error-text.js'
import { DEFAULT_TIMEZONE, formatCount, formatDateTime } from '../../../format.js'
import { SurveyBuilder } from './SurveyBuilder.js'
import { SurveyDistribution } from './SurveyDistribution.js'
import { SurveyResults } from './SurveyResults.js'
import { SURVEY_STATUS_COLORS, type Survey } from './survey-words.js'

/** Open and close: a survey takes answers only while open (and inside its window). */
const StatusActions = ({ survey, onChanged }: { survey: Survey; onChanged: (s: Survey) => void }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const errorText = useErrorText()
  const navigate = useNavigate()
  const open = useApiMutation('post', '/api/v1/surveys/{id}/open')
  const close = useApiMutation('post', '/api/v1/surveys/{id}/close')
  const remove = useApiMutation('delete', '/api/v1/surveys/{id}')
  const removeDraft = async () => {
    try {
      await remove.mutateAsync({ params: { path: { id: survey.id } } })
      void message.success(t('surveys.builder.deleted'))
      void navigate('/service/surveys', { replace: true })
    } catch (err) {
      void message.error(errorText(err))
    }
  }
  const run = async (which: 'open' | 'close') => {
    try {
      const changed = await (which === 'open' ? open : close).mutateAsync({ params: { path: { id: survey.id } } })
      void message.success(t(which === 'open' ? 'surveys.builder.opened' : 'surveys.builder.closed'))
      onChanged(changed)
    } catch (err) {
      void message.error(errorText(err))
    }
  }
  return (
    <Space>
      {survey.status === 'draft' && survey.responses === 0 && survey.invitations === 0 && (
        <Popconfirm title={t('surveys.builder.deleteConfirm')} onConfirm={() => removeDraft()} okText={tc('actions.confirm')} okButtonProps={{ danger: true }}>
          <Button danger type="text" loading={remove.isPending} data-testid="survey-delete">{t('surveys.builder.delete')}</Button>
        </Popconfirm>
      )}
      {survey.status !== 'open' && (
        <Popconfirm title={t('surveys.builder.openConfirm')} onConfirm={() => run('open')} okText={tc('actions.confirm')} okButtonProps={{ 'data-testid': 'survey-open-confirm' } as ButtonProps}>
          <Button type="primary" loading={open.isPending} data-testid="survey-open">{t('surveys.builder.open')}</Button>
        </Popconfirm>
      )}
      {survey.status === 'open' && (
        <Popconfirm title={t('surveys.builder.closeConfirm')} onConfirm={() => run('close')} okText={tc('actions.confirm')} okButtonProps={{ danger: true, 'data-testid': 'survey-close-confirm' } as ButtonProps}>
          <Button danger loading={close.isPending} data-testid="survey-close">{t('surveys.builder.close')}</Button>
        </Popconfirm>
      )}
    </Space>
  )
}

const SurveyDetail = ({ id }: { id: string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const [search, setSearch] = useSearchParams()
  const read = { params: { path: { id } } }
  const { data: survey, error, refetch } = useApiQuery('/api/v1/surveys/{id}', read)
  const setSurvey = useSetApiData('/api/v1/surveys/{id}', read)
  const [builderKey, setBuilderKey] = useState(0)
  const tab = search.get('tab') ?? 'design'

  if (error) return <ErrorResult error={error} onRetry={() => void refetch()} />
  if (!survey) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>
  const changed = (s: Survey) => {
    setSurvey(() => s)
    setBuilderKey((k) => k + 1)
  }

  return (
    <Flex vertical gap={16} data-testid="survey-page">
      <Breadcrumb items={[{ title: <Link to="/service/surveys">{t('surveys.list.title')}</Link> }, { title: survey.title }]} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <Space orientation="vertical" size={4}>
            <Space align="center">
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="survey-heading">{survey.title}</Typography.Title>
              <Tag color={SURVEY_STATUS_COLORS[survey.status]} data-testid="survey-status">{t(`surveys.status.${survey.status}`)}</Tag>
            </Space>
            <Typography.Text type="secondary">
              {t('surveys.list.window')}: {survey.opensAt || survey.closesAt ? `${formatDateTime(survey.opensAt, tz)} ~ ${formatDateTime(survey.closesAt, tz)}` : t('surveys.list.always')}
              {' · '}{t('surveys.list.responses')}: {formatCount(survey.responses)}
            </Typography.Text>
          </Space>
          {can('surveys.manage') && <StatusActions survey={survey} onChanged={changed} />}
        </Flex>
      </Card>
      <Card>
        <Tabs
          activeKey={tab} onChange={(key) => setSearch({ tab: key }, { replace: true })} data-testid="survey-tabs"
          items={[
            { key: 'design', label: t('surveys.tabs.design'), children: <SurveyBuilder key={builderKey} survey={survey} onSaved={changed} /> },
            { key: 'distribution', label: t('surveys.tabs.distribution'), children: <SurveyDistribution survey={survey} /> },
            { key: 'results', label: t('surveys.tabs.results'), children: <SurveyResults survey={survey} /> },
          ]}
        />
      </Card>
    </Flex>
  )
}

const NewSurvey = () => {
  const { t } = useTranslation('service', { keyPrefix: 'feedback' })
  const navigate = useNavigate()
  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[{ title: <Link to="/service/surveys">{t('surveys.list.title')}</Link> }, { title: t('surveys.list.create') }]} />
      <Card title={t('surveys.list.create')}>
        <SurveyBuilder survey={null} onSaved={(s) => void navigate(`/service/surveys/${s.id}`, { replace: true })} />
      </Card>
    </Flex>
  )
}

/** A survey: its questions (the builder), its distribution (links, QR codes, invitations) and its results; /service/surveys/new builds one. */
export const SurveyPage = () => {
  const { id = '' } = useParams()
  return id === 'new' ? <NewSurvey /> : <SurveyDetail key={id} id={id} />
}

export default SurveyPage
