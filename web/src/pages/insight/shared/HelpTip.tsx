import { QuestionCircleOutlined } from '@ant-design/icons'
import { Popover, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/** A figure's definition, one click (or hover) from the figure: a question mark with a popover. */
export const HelpTip = ({ title, children, testId }: { title?: ReactNode; children: ReactNode; testId?: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'shared' })
  return (
    <Popover
      title={title}
      content={<div style={{ maxWidth: 420 }} data-testid={testId ? `${testId}-text` : undefined}>{children}</div>}
      trigger={['hover', 'click']}
    >
      <Typography.Text type="secondary" style={{ cursor: 'help' }} aria-label={t('help')} data-testid={testId}>
        <QuestionCircleOutlined />
      </Typography.Text>
    </Popover>
  )
}

/** A card or statistic title with its definition beside it. */
export const TitleWithHelp = ({ title, help, testId }: { title: ReactNode; help: ReactNode; testId?: string }) => (
  <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
    {title}
    <HelpTip title={title} testId={testId}>{help}</HelpTip>
  </span>
)
