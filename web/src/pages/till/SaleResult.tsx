import { CheckCircleFilled } from '@ant-design/icons'
import { Button, Card, Descriptions, Flex, QRCode, Result, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useSession } from '../../auth/session.js'
import { formatCount, formatMoney } from '../../format.js'
import { signedPoints } from '../../shared/loyalty-format.js'
import { newTicketLink } from '../service/tickets/ticket-format.js'
import type { PostResult } from './types.js'

/** The suggestion box a receipt's QR code opens: the public page of the store's suggestions. */
const suggestionLink = (origin: string, storeCode: string | null | undefined): string => `${origin}/f/${encodeURIComponent(storeCode ?? '')}`

/** The sale just posted, kept on screen while the next customer steps up. */
export const SaleResult = ({ result, paid, tierName, storeCode }: { result: PostResult; paid: number; tierName(code: string | null): string | null; storeCode?: string | null }) => {
  const { t } = useTranslation('till')
  const { can } = useSession()
  const member = result.member
  return (
    <Card size="small" data-testid="till-result">
      <Result
        icon={<CheckCircleFilled style={{ color: '#52c41a' }} />} status="success" style={{ padding: '8px 0' }}
        title={t('result.title', { total: formatMoney(paid) })}
        subTitle={<span data-testid="till-result-receipt-no">{t('result.receiptNo', { receiptNo: result.receiptNo })}</span>}
      />
      {paid !== result.total && (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }} data-testid="till-result-total">
          {t('result.total', { total: formatMoney(result.total) })}
        </Typography.Paragraph>
      )}
      {member && (
        <Descriptions
          column={1} size="small" bordered
          items={[
            { key: 'card', label: t('result.member'), children: can('members.read') ? <Link to={`/members/${member.id}`} data-testid="till-result-member">{member.cardNo}</Link> : member.cardNo },
            { key: 'earned', label: t('result.earned'), children: <Typography.Text strong data-testid="till-result-points">+{formatCount(result.points)}</Typography.Text> },
            ...(result.coupons?.length
              ? [{
                  key: 'coupons', label: t('result.coupons'),
                  children: (
                    <span data-testid="till-result-coupons">
                      {result.coupons.map((c) => `${c.name} -${formatMoney(c.discount)}${c.bonusPoints > 0 ? ` +${formatCount(c.bonusPoints)}` : ''}`).join(t('result.separator'))}
                    </span>
                  ),
                }]
              : []),
            ...(result.pointsUsed > 0 ? [{ key: 'used', label: t('result.used'), children: <span data-testid="till-result-used">-{formatCount(result.pointsUsed)}</span> }] : []),
            {
              key: 'balance', label: t('result.balance'),
              children: <Typography.Text strong type={member.negative ? 'danger' : undefined} data-testid="till-result-balance">{formatCount(member.balance)}</Typography.Text>,
            },
            ...(member.tier ? [{ key: 'tier', label: t('result.tier'), children: <Tag color="gold">{member.tier.name}</Tag> }] : []),
            ...(result.tierChange
              ? [{
                  key: 'change', label: t('result.tierChange'),
                  children: <Typography.Text type="success" data-testid="till-result-tier-change">{t('result.tierChanged', { from: tierName(result.tierChange.from) ?? t('result.noTier'), to: tierName(result.tierChange.to) ?? result.tierChange.to })}</Typography.Text>,
                }]
              : []),
          ]}
        />
      )}
      {result.explanation.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {result.explanation.map((e) => `${e.name} ${signedPoints(e.points)}`).join(t('result.separator'))}
        </Typography.Paragraph>
      )}
      <Flex justify="space-between" align="center" gap={12} style={{ marginTop: 12 }}>
        <Flex align="center" gap={8}>
          <QRCode value={suggestionLink(window.location.origin, storeCode)} size={88} bordered={false} data-testid="till-result-suggest-qr" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('result.suggestQr')}</Typography.Text>
        </Flex>
        {can('service.intake') && (
          <Link to={newTicketLink({ receiptId: result.receiptId, storeId: result.storeId, memberId: member?.id })}>
            <Button size="small" data-testid="till-result-complain">{t('result.complain')}</Button>
          </Link>
        )}
      </Flex>
    </Card>
  )
}
