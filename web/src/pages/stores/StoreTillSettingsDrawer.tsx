import { App, Alert, Button, Checkbox, Descriptions, Drawer, Flex, Input, InputNumber, Skeleton, Space, Switch, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery, type GetData } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { errorMessage } from '../../components/errors.js'
import { formatDateTime } from '../../format.js'
import type { Store } from './types.js'

type Settings = GetData<'/api/v1/stores/{id}/till-settings'>
type Key = Settings['overridable'][number]
const KEYS: readonly Key[] = ['returnApprovalAbove', 'scaleLayout']

/** Whether the store sets it itself (and the value), per setting: the form's state. */
type Draft = Record<Key, { own: boolean; value: number | string | null }>

const draftOf = (s: Settings): Draft => ({
  returnApprovalAbove: { own: s.overrides.returnApprovalAbove !== undefined, value: s.overrides.returnApprovalAbove !== undefined ? s.overrides.returnApprovalAbove : s.hq.returnApprovalAbove },
  scaleLayout: { own: s.overrides.scaleLayout !== undefined, value: s.overrides.scaleLayout ?? s.hq.scaleLayout },
})

/**
 * A store's till settings: each is HQ's ("inherited from HQ"), the store's own where HQ lets
 * stores change it, or HQ's for every store (locked). The store's manager, its region's manager
 * and HQ change the store's own values.
 */
export const StoreTillSettingsDrawer = ({ store, onClose }: { store: Store | null; onClose: () => void }) => {
  const { t } = useTranslation('org', { keyPrefix: 'stores.tillSettings' })
  const { t: tc } = useTranslation()
  const { can, chain } = useSession()
  const { message } = App.useApp()
  const { data, error, refetch } = useApiQuery('/api/v1/stores/{id}/till-settings', { params: { path: { id: store?.id ?? '' } } }, { enabled: store !== null })
  const [draft, setDraft] = useState<Draft | null>(null)
  const [busy, setBusy] = useState(false)
  const edit = can('stores.settings')

  useEffect(() => setDraft(data ? draftOf(data) : null), [data])

  const money = (fen: number | null) => (fen === null ? t('never') : `¥${(fen / 100).toFixed(2)}`)
  const shown = (key: Key, value: number | string | null) => (key === 'returnApprovalAbove' ? money(value as number | null) : <Typography.Text code>{value as string}</Typography.Text>)

  const save = async () => {
    if (!data || !draft || !store) return
    const set: Record<string, unknown> = {}
    const inherit: Key[] = []
    for (const key of data.overridable) {
      if (draft[key].own) set[key] = key === 'scaleLayout' ? String(draft[key].value ?? '').trim() : draft[key].value
      else if (data.overrides[key] !== undefined) inherit.push(key)
    }
    setBusy(true)
    try {
      await call(api.PUT('/api/v1/stores/{id}/till-settings', { params: { path: { id: store.id } }, body: { set, inherit } }))
      void message.success(tc('status.saved'))
      void refetch()
    } catch (err) {
      void message.error(errorMessage(tc, err))
    } finally {
      setBusy(false)
    }
  }

  const row = (key: Key) => {
    if (!data || !draft) return null
    const allowed = data.overridable.includes(key)
    const own = draft[key]
    const stale = !allowed && data.overrides[key] !== undefined
    const status = !allowed
      ? <Tag data-testid={`till-${key}-locked`}>{t('locked')}</Tag>
      : data.overrides[key] !== undefined ? <Tag color="orange" data-testid={`till-${key}-own`}>{t('own')}</Tag> : <Tag color="blue" data-testid={`till-${key}-inherited`}>{t('inherited')}</Tag>
    return (
      <Descriptions.Item key={key} label={t(`keys.${key}`)}>
        <Flex vertical gap={8}>
          <Space wrap>
            {status}
            <Typography.Text>{t('effective')}: {shown(key, data.effective[key])}</Typography.Text>
            <Typography.Text type="secondary">{t('hq')}: {shown(key, data.hq[key])}</Typography.Text>
          </Space>
          {stale && <Typography.Text type="warning">{t('stale', { value: key === 'returnApprovalAbove' ? money(data.overrides.returnApprovalAbove ?? null) : data.overrides.scaleLayout ?? '' })}</Typography.Text>}
          {allowed && edit && (
            <Space wrap>
              <Switch
                checked={own.own} checkedChildren={t('useOwn')} unCheckedChildren={t('useHq')} data-testid={`till-${key}-switch`}
                onChange={(on) => setDraft({ ...draft, [key]: { ...own, own: on } })}
              />
              {own.own && key === 'returnApprovalAbove' && (
                <>
                  <InputNumber
                    min={0} max={1_000_000} precision={2} prefix="¥" disabled={own.value === null} style={{ width: 160 }} data-testid="till-returnApprovalAbove-input"
                    value={own.value === null ? null : (own.value as number) / 100}
                    onChange={(v) => setDraft({ ...draft, returnApprovalAbove: { own: true, value: Math.round((v ?? 0) * 100) } })}
                  />
                  <Checkbox checked={own.value === null} onChange={(e) => setDraft({ ...draft, returnApprovalAbove: { own: true, value: e.target.checked ? null : data.hq.returnApprovalAbove ?? 0 } })}>
                    {t('never')}
                  </Checkbox>
                </>
              )}
              {own.own && key === 'scaleLayout' && (
                <Input
                  maxLength={18} style={{ width: 200, fontFamily: 'monospace' }} value={String(own.value ?? '')} data-testid="till-scaleLayout-input"
                  onChange={(e) => setDraft({ ...draft, scaleLayout: { own: true, value: e.target.value.toUpperCase() } })}
                />
              )}
            </Space>
          )}
        </Flex>
      </Descriptions.Item>
    )
  }

  return (
    <Drawer
      open={store !== null} onClose={onClose} size="large" destroyOnHidden
      title={store ? t('title', { store: `${store.code} ${store.name}` }) : ''}
      extra={edit && data && data.overridable.length > 0 ? <Button type="primary" loading={busy} onClick={() => void save()} data-testid="till-store-save">{tc('actions.save')}</Button> : null}
    >
      {error ? <ErrorResult error={error} onRetry={() => void refetch()} /> : !data || !draft ? <Skeleton active /> : (
        <Flex vertical gap={16} data-testid="store-till-settings">
          <Alert type="info" showIcon title={data.overridable.length ? t('intro') : t('allLocked')} />
          <Descriptions column={1} bordered size="small">{KEYS.map(row)}</Descriptions>
          {data.updatedAt && <Typography.Text type="secondary">{t('updated', { by: data.updatedBy ?? '—', at: formatDateTime(data.updatedAt, chain?.timezone) })}</Typography.Text>}
        </Flex>
      )}
    </Drawer>
  )
}
