import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, Col, DatePicker, Divider, Form, Input, InputNumber, Row, Select, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import { useTiers } from '../../hooks/use-tiers.js'
import { chances, emptyDraw, newPrize, PRIZE_KINDS, toDrawBody, toFormValues, type Draw, type DrawFormValues, type PrizeRow } from './draw-form.js'
import type { Target } from './use-prize-targets.js'

const TIME_FORMAT = 'YYYY-MM-DD HH:mm'

/** Creates a draw, or changes a draft (`draw`) as a whole, prizes included. */
export const DrawFormModal = ({ draw, tz, templates, gifts, onClose, onSaved }: {
  draw: Draw | null
  tz: string
  templates: Target[] | null
  gifts: Target[] | null
  onClose: () => void
  onSaved: (saved: Draw, created: boolean) => void
}) => {
  const { t } = useTranslation('rewards', { keyPrefix: 'draws' })
  const [form] = Form.useForm<DrawFormValues>()
  const { tiers } = useTiers()
  const prizes = (Form.useWatch('prizes', form) ?? []) as Array<PrizeRow | undefined>
  const noPrize = Form.useWatch('noPrizeWeight', form) as number | undefined
  const odds = chances(prizes, noPrize)

  const submit = async (values: DrawFormValues) => {
    const body = toDrawBody(values, tz)
    const saved = draw
      ? await call(api.PUT('/api/v1/draws/{id}', { params: { path: { id: draw.id } }, body }))
      : await call(api.POST('/api/v1/draws', { body }))
    onSaved(saved, !draw)
  }

  // A coupon template or gift is picked by name, or typed as an id when its list could not be read.
  const target = (kind: PrizeRow['kind'] | undefined, index: number) => {
    if (kind === 'points') {
      return (
        <Form.Item name={[index, 'points']} rules={[{ required: true }]} style={{ margin: 0 }}>
          <InputNumber data-testid={`prize-points-${index}`} min={1} max={10_000_000} precision={0} suffix={t('form.pointsUnit')} style={{ width: '100%' }} />
        </Form.Item>
      )
    }
    const field = kind === 'coupon' ? 'couponTemplateId' : 'giftId'
    const options = kind === 'coupon' ? templates : gifts
    return (
      <Form.Item name={[index, field]} rules={[{ required: true }]} style={{ margin: 0 }}>
        {options === null
          ? <Input data-testid={`prize-${field}-${index}`} placeholder={t(kind === 'coupon' ? 'form.templateIdPlaceholder' : 'form.giftIdPlaceholder')} maxLength={64} />
          : (
            <Select
              data-testid={`prize-${field}-${index}`} showSearch={{ optionFilterProp: 'label' }}
              placeholder={t(kind === 'coupon' ? 'form.templatePlaceholder' : 'form.giftPlaceholder')}
              options={options.map((o) => ({ value: o.id, label: o.name }))} notFoundContent={t(kind === 'coupon' ? 'form.noTemplates' : 'form.noGifts')}
            />
          )}
      </Form.Item>
    )
  }

  return (
    <FormModal<DrawFormValues>
      open title={draw ? t('form.editTitle', { name: draw.name }) : t('form.createTitle')} form={form} onClose={onClose} onSubmit={submit}
      name="draw" initialValues={draw ? toFormValues(draw, tz) : emptyDraw(tz)} submitTestId="draw-save" formTestId="draw-form" width={1080}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input data-testid="draw-name" maxLength={60} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="startsAt" label={t('form.startsAt')} extra={t('form.zoneHelp', { tz })} rules={[{ required: true }]}>
            <DatePicker data-testid="draw-starts-at" showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="endsAt" label={t('form.endsAt')} rules={[{ required: true }]}>
            <DatePicker data-testid="draw-ends-at" showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label={t('form.description')} rules={[{ max: 500 }]}>
        <Input.TextArea data-testid="draw-description" rows={2} maxLength={500} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="entryPoints" label={t('form.entryPoints')} extra={t('form.entryPointsHelp')} rules={[{ required: true }]}>
            <InputNumber data-testid="draw-entry-points" min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="freeTiers" label={t('form.freeTiers')}>
            <Select data-testid="draw-free-tiers" mode="multiple" allowClear options={tiers.map((x) => ({ value: x.code, label: x.name }))} placeholder={t('form.none')} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="freeMinSpend" label={t('form.freeMinSpend')} extra={t('form.freeMinSpendHelp')}>
            <InputNumber data-testid="draw-free-min-spend" min={0.01} precision={2} prefix="¥" style={{ width: '100%' }} placeholder={t('form.none')} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="perMemberLimit" label={t('form.perMemberLimit')}>
            <InputNumber data-testid="draw-per-member" min={1} max={10_000} precision={0} style={{ width: '100%' }} placeholder={t('form.unlimited')} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="perDayLimit" label={t('form.perDayLimit')}>
            <InputNumber data-testid="draw-per-day" min={1} max={10_000} precision={0} style={{ width: '100%' }} placeholder={t('form.unlimited')} />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start" style={{ marginTop: 0 }}>{t('form.prizes')}</Divider>
      <Form.List name="prizes">
        {(fields, { add, remove }) => (
          <>
            <Table
              data-testid="draw-prizes-editor" size="small" pagination={false} rowKey="key" dataSource={fields}
              locale={{ emptyText: t('form.noPrizes') }}
              columns={[
                { key: 'seq', title: '#', width: 40, render: (_, f) => f.name + 1 },
                {
                  key: 'name', title: t('prize.name'), width: 180,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }, { max: 60 }]} style={{ margin: 0 }}>
                      <Input data-testid={`prize-name-${f.name}`} maxLength={60} />
                    </Form.Item>
                  ),
                },
                {
                  key: 'kind', title: t('prize.kind'), width: 110,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'kind']} rules={[{ required: true }]} style={{ margin: 0 }}>
                      <Select data-testid={`prize-kind-${f.name}`} options={PRIZE_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
                    </Form.Item>
                  ),
                },
                { key: 'target', title: t('prize.gives'), render: (_, f) => target(prizes[f.name]?.kind, f.name) },
                {
                  key: 'stock', title: t('prize.stock'), width: 110,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'stock']} rules={[{ required: true }]} style={{ margin: 0 }}>
                      <InputNumber data-testid={`prize-stock-${f.name}`} min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  ),
                },
                {
                  key: 'weight', title: t('prize.weight'), width: 110,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'weight']} rules={[{ required: true }]} style={{ margin: 0 }}>
                      <InputNumber data-testid={`prize-weight-${f.name}`} min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  ),
                },
                { key: 'chance', title: t('prize.chance'), width: 80, align: 'right', render: (_, f) => `${odds.prizes[f.name] ?? 0}%` },
                {
                  key: 'remove', width: 44,
                  render: (_, f) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removePrize')} onClick={() => remove(f.name)} data-testid={`prize-remove-${f.name}`} />,
                },
              ]}
            />
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newPrize())} style={{ marginTop: 8 }} disabled={fields.length >= 20} data-testid="prize-add">
              {t('form.addPrize')}
            </Button>
          </>
        )}
      </Form.List>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={6}>
          <Form.Item name="noPrizeWeight" label={t('form.noPrizeWeight')} extra={t('form.noPrizeChance', { pct: odds.noPrize })} rules={[{ required: true }]}>
            <InputNumber data-testid="draw-no-prize-weight" min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="fallbackPrize" label={t('form.fallback')} extra={t('form.fallbackHelp')}>
            <Select
              data-testid="draw-fallback"
              options={[{ value: 0, label: t('form.fallbackNone') }, ...prizes.map((p, i) => ({ value: i + 1, label: `${i + 1}. ${p?.name || t(`kinds.${p?.kind ?? 'points'}`)}` }))]}
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 30 }}>{t('form.weightsHelp')}</Typography.Paragraph>
        </Col>
      </Row>
    </FormModal>
  )
}
