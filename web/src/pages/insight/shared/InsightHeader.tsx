import { Card, Flex, Typography } from 'antd'
import type { ReactNode } from 'react'
import { FreshnessLine } from './FreshnessLine.js'
import { TitleWithHelp } from './HelpTip.js'

/** The top of an insight page: its title with what it shows, how fresh the figures are, its filters. */
export const InsightHeader = ({ title, help, extra, testId }: { title: string; help: ReactNode; extra?: ReactNode; testId: string }) => (
  <Card size="small">
    <Flex justify="space-between" align="center" wrap gap={12}>
      <Flex vertical gap={2}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid={`${testId}-title`}>
          <TitleWithHelp title={title} help={help} testId={`${testId}-help`} />
        </Typography.Title>
        <FreshnessLine />
      </Flex>
      {extra}
    </Flex>
  </Card>
)
