import { Descriptions, Divider, Drawer, Skeleton, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { formatMoney } from '../../format.js'
import { BoughtTogether } from './BoughtTogether.js'

/**
 * A product's page in a drawer over the catalogue: what the catalogue holds, and for the roles
 * that read insight the products most often bought with it. `onOpen` moves to another product.
 */
export const ProductDrawer = ({ productId, onOpen, onClose }: { productId: string | null; onOpen: (id: string) => void; onClose: () => void }) => {
  const { t } = useTranslation('products')
  const { t: tc } = useTranslation()
  const { can } = useSession()
  const { data: p, error, refetch } = useApiQuery('/api/v1/products/{id}', { params: { path: { id: productId ?? '' } } }, { enabled: productId !== null })
  const price = (fen: number | null) => (fen === null ? '—' : `${formatMoney(fen)}${p?.soldByWeight ? t('perKg') : ''}`)

  return (
    <Drawer
      open={productId !== null} onClose={onClose} size={760} destroyOnHidden
      title={p && p.id === productId ? `${p.name} · ${p.sku}` : t('detail.title')} data-testid="product-drawer"
    >
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} compact /> : !p || p.id !== productId ? <Skeleton active /> : (
        <>
          <Descriptions size="small" column={2} data-testid="product-detail">
            <Descriptions.Item label={t('columns.sku')}>{p.sku}</Descriptions.Item>
            <Descriptions.Item label={t('columns.barcode')}>{p.barcode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('columns.class')}>{[p.department, p.category, p.subcategory].filter(Boolean).join(' / ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('columns.brand')}>{p.brand ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('columns.listPrice')}>{price(p.listPrice)}</Descriptions.Item>
            <Descriptions.Item label={t('columns.memberPrice')}>{price(p.memberPrice)}</Descriptions.Item>
            <Descriptions.Item label={t('columns.pointsEligible')}>{p.pointsEligible ? tc('yes') : tc('no')}</Descriptions.Item>
            <Descriptions.Item label={t('columns.status')}><Tag color={p.status === 'active' ? 'green' : undefined}>{t(`status.${p.status}`)}</Tag></Descriptions.Item>
          </Descriptions>
          {can('insight.read') && (
            <>
              <Divider />
              <BoughtTogether key={p.id} productId={p.id} onOpen={onOpen} />
            </>
          )}
        </>
      )}
    </Drawer>
  )
}
