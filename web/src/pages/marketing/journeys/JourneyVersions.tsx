import { Collapse, Space, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatCount, formatDateTime } from '../../../format.js'
import type { JourneyVersion } from './journey-form.js'
import { triggerText, type Names } from './journey-words.js'
import { JourneyStepsView } from './JourneyStepsView.js'

/** Every version, newest first: when it was made, its members, and its trigger and steps (open one to read them). */
export const JourneyVersions = ({ versions, current, names, templateName, tz }: {
  versions: readonly JourneyVersion[]; current: number; names: Names; templateName: (id: string) => string | null; tz: string
}) => {
  const { t } = useTranslation('marketing', { keyPrefix: 'journeys' })
  return (
    <Collapse
      data-testid="journey-versions" defaultActiveKey={[]}
      items={versions.map((v) => ({
        key: v.version,
        label: (
          <Space wrap data-testid={`journey-version-${v.version}`}>
            <Typography.Text strong>{t('version', { n: v.version })}</Typography.Text>
            {v.version === current && <Tag color="blue">{t('versions.current')}</Tag>}
            <Typography.Text type="secondary">{formatDateTime(v.createdAt, tz)}</Typography.Text>
            <Typography.Text type="secondary">{t('versions.stepCount', { n: v.steps.length })}</Typography.Text>
            <Typography.Text type="secondary">
              {t('detail.membersText', { active: formatCount(v.members.active), done: formatCount(v.members.done), exited: formatCount(v.members.exited) })}
            </Typography.Text>
          </Space>
        ),
        children: (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space size={8}><Typography.Text type="secondary">{t('detail.trigger')}</Typography.Text><Typography.Text>{triggerText(t, v.trigger, names)}</Typography.Text></Space>
            <JourneyStepsView steps={v.steps} names={names} templateName={templateName} />
          </Space>
        ),
      }))}
    />
  )
}
