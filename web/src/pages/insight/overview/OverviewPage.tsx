import { Card, Col, Flex, Row, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { TitleWithHelp } from '../shared/HelpTip.js'
import { HeadlineKpis } from './HeadlineKpis.js'

const LINKS = [
  ['rfm', '/insight/rfm'], ['quadrants', '/insight/quadrants'], ['pareto', '/insight/pareto'], ['lifecycle', '/insight/lifecycle'],
  ['tags', '/insight/tags'], ['segments', '/insight/segments'], ['kpis', '/insight/kpis'], ['report', '/insight/report'],
] as const

/** The 洞察 area's front page: the headline KPIs with their trends, and the way into each analysis. */
export const OverviewPage = () => {
  const { t } = useTranslation('insight', { keyPrefix: 'overview' })
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="overview-title">
          <TitleWithHelp title={t('title')} help={t('help')} testId="overview-help" />
        </Typography.Title>
      </Card>
      <HeadlineKpis testId="overview-kpis" />
      <Row gutter={[12, 12]}>
        {LINKS.map(([key, to]) => (
          <Col xs={24} sm={12} lg={6} key={key}>
            <Link to={to} data-testid={`overview-link-${key}`}>
              <Card size="small" hoverable>
                <Typography.Text strong>{t(`links.${key}.title`)}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{t(`links.${key}.text`)}</Typography.Paragraph>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </Flex>
  )
}

export default OverviewPage
