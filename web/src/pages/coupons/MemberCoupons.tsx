import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Flex, Form, Input, Modal, Select, Space, Table, Typography, type TableColumnsType } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import { ErrorResult } from '../../components/ErrorResult.js'
import { reportFormError } from '../../components/errors.js'
import { DEFAULT_TIMEZONE } from '../../format.js'
import { CouponCode, CouponIssued, CouponStatusTag, VoidCouponButton } from './CouponParts.js'
import { summarizeOffer } from './template-summary.js'
import { CouponOutcome } from './TemplateCoupons.js'
import type { Coupon } from './types.js'

const newIssueKey = () => `staff-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** Picks an active template and issues one coupon of it to the member. */
const IssueCouponModal = ({ memberId, onClose, onIssued }: { memberId: string; onClose: () => void; onIssued: (c: Coupon) => void }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ templateId: string; note?: string }>()
  const templates = useApiQuery('/api/v1/coupon-templates', { params: { query: { status: 'active' } } }).data ?? []
  const [busy, setBusy] = useState(false)
  // One key for the dialog: a double click on OK issues one coupon.
  const [issueKey] = useState(newIssueKey)

  const submit = async (v: { templateId: string; note?: string }) => {
    setBusy(true)
    try {
      const coupon = await call(api.POST('/api/v1/members/{id}/coupons', {
        params: { path: { id: memberId } }, body: { templateId: v.templateId, issueKey, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
      }))
      void message.success(t('member.issued', { code: coupon.code }))
      onIssued(coupon)
    } catch (err) {
      reportFormError(form, err, tc, message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open title={t('member.issueTitle')} onCancel={onClose} destroyOnHidden onOk={() => form.submit()}
      okText={t('issueOne.issue')} okButtonProps={{ loading: busy, 'data-testid': 'member-coupon-issue-submit' } as never}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="templateId" label={t('member.template')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }} placeholder={t('member.templatePlaceholder')} data-testid="member-coupon-template"
            options={templates.map((tpl) => ({ value: tpl.id, label: `${tpl.name}（${summarizeOffer(tpl, t)}）` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('issueOne.note')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="member-coupon-note" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** The member's coupons, the usable ones first, each with its code and QR code; staff may issue or void. */
export const MemberCoupons = ({ memberId }: { memberId: string }) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'coupons' })
  const { can, chain } = useSession()
  const tz = chain?.timezone ?? DEFAULT_TIMEZONE
  const issue = can('rewards.issue')
  const { data: coupons, error, refetch } = useApiQuery('/api/v1/members/{id}/coupons', { params: { path: { id: memberId }, query: {} } })
  // The templates, for a coupon's full offer (minimum spend, cap); without them the coupon's own value is shown.
  const templateList = useApiQuery('/api/v1/coupon-templates', { params: { query: {} } }).data
  const templates = useMemo(() => new Map((templateList ?? []).map((x) => [x.id, x])), [templateList])
  const [issuing, setIssuing] = useState(false)
  const load = () => void refetch()

  const offer = useMemo(() => (c: Coupon) => {
    const tpl = templates.get(c.templateId)
    return summarizeOffer(tpl ? { ...tpl, value: c.value } : c, t)
  }, [templates, t])

  const columns: TableColumnsType<Coupon> = [
    {
      key: 'name', title: t('member.offer'),
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{c.templateName}</Typography.Text>
          <Typography.Text type="secondary">{offer(c)}</Typography.Text>
        </Space>
      ),
    },
    { key: 'code', title: t('coupons.code'), width: 210, render: (_, c) => <CouponCode coupon={c} /> },
    { key: 'status', title: t('coupons.status'), width: 80, render: (_, c) => <CouponStatusTag status={c.status} testId={`member-coupon-status-${c.code}`} /> },
    { key: 'validity', title: t('coupons.validity'), width: 180, render: (_, c) => `${c.validFrom} ~ ${c.validTo}` },
    { key: 'issued', title: t('coupons.issuedAt'), width: 160, render: (_, c) => <CouponIssued coupon={c} tz={tz} /> },
    { key: 'used', title: t('coupons.used'), width: 170, render: (_, c) => <CouponOutcome coupon={c} tz={tz} /> },
    ...(issue
      ? [{
          key: 'actions', title: t('coupons.actions'), width: 70,
          render: (_: unknown, c: Coupon) => (c.status === 'issued' ? <VoidCouponButton coupon={c} /> : null),
        }]
      : []),
  ]

  if (error) return <ErrorResult error={error} onRetry={load} compact />
  return (
    <Flex vertical gap={12} data-testid="member-coupons">
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t('member.scanHint')}</Typography.Text>
        {issue && <Button icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="member-coupon-issue">{t('member.issue')}</Button>}
      </Flex>
      <Table<Coupon>
        rowKey="id" size="small" columns={columns} dataSource={coupons ?? []} loading={coupons === undefined} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1000 }} locale={{ emptyText: t('member.empty') }} data-testid="member-coupons-table"
        onRow={(c) => (c.status === 'issued' ? {} : { style: { opacity: 0.7 } })}
      />
      {issuing && <IssueCouponModal memberId={memberId} onClose={() => setIssuing(false)} onIssued={() => setIssuing(false)} />}

    </Flex>
  )
}
