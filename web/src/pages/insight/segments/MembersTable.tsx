import { Button, Flex, Table, type TableColumnsType } from 'antd'
import { useTranslation } from 'react-i18next'
import type { components } from '../../../api/schema.js'
import { formatCount, formatDateTime, formatMoney } from '../../../format.js'

export type SegmentMember = components['schemas']['SegmentMember']

/** A masked page of a segment's (or a snapshot's) members, with "load more" when the API has another page. */
export const MembersTable = ({ items, loading, more, testId }: { items: SegmentMember[]; loading: boolean; more?: () => void; testId: string }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments' })
  const word = (v: string | null) => (v ? t(`builder.values.${v}` as never, { defaultValue: v }) : '—')
  const columns: TableColumnsType<SegmentMember> = [
    { key: 'card', title: t('preview.columns.card'), dataIndex: 'cardNo', width: 160 },
    { key: 'name', title: t('preview.columns.name'), render: (_, m) => m.name ?? '—' },
    { key: 'phone', title: t('preview.columns.phone'), render: (_, m) => m.phone ?? '—' },
    { key: 'store', title: t('preview.columns.store'), render: (_, m) => m.storeName ?? '—' },
    { key: 'tier', title: t('preview.columns.tier'), render: (_, m) => m.tierName ?? m.tier ?? '—' },
    { key: 'spendW', title: t('preview.columns.spendW'), align: 'right', render: (_, m) => formatMoney(m.spendW) },
    { key: 'receiptsW', title: t('preview.columns.receiptsW'), align: 'right', render: (_, m) => formatCount(m.receiptsW) },
    { key: 'last', title: t('preview.columns.lastPurchase'), render: (_, m) => (m.lastPurchaseAt ? formatDateTime(m.lastPurchaseAt) : '—') },
    { key: 'rfm', title: t('preview.columns.rfm'), render: (_, m) => word(m.rfmClass) },
    { key: 'lifecycle', title: t('preview.columns.lifecycle'), render: (_, m) => word(m.lifecycle) },
  ]
  return (
    <Flex vertical gap={8}>
      <Table rowKey="id" size="small" loading={loading} columns={columns} dataSource={items} pagination={false} scroll={{ x: 900 }} data-testid={testId} />
      {more && <Button onClick={more} loading={loading} data-testid={`${testId}-more`}>{t('preview.loadMore')}</Button>}
    </Flex>
  )
}
