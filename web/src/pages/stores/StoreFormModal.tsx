import { Col, DatePicker, Form, Input, Row, Select } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { FormModal } from '../../components/FormModal.js'
import type { Region, Store } from './types.js'

interface Values {
  code: string
  name: string
  regionId: string | null
  city: string
  district: string | null
  address: string | null
  openedOn: Dayjs | null
}

export const STORE_CODE = /^[A-Za-z0-9_-]{1,32}$/

const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null)

/** Opens a store, or edits one (`store`). */
export const StoreFormModal = ({ open, store, regions, onClose, onSaved }: {
  open: boolean
  store: Store | null
  regions: Region[]
  onClose: () => void
  onSaved: (store: Store, created: boolean) => void
}) => {
  const { t } = useTranslation('org', { keyPrefix: 'stores' })
  const [form] = Form.useForm<Values>()

  const initialValues: Values = {
    code: store?.code ?? '', name: store?.name ?? '', regionId: store?.regionId ?? null, city: store?.city ?? '',
    district: store?.district ?? null, address: store?.address ?? null, openedOn: store?.openedOn ? dayjs(store.openedOn) : null,
  }

  const submit = async (values: Values) => {
    const body = {
      code: values.code.trim(), name: values.name.trim(), regionId: values.regionId || null, city: values.city.trim(),
      district: blankToNull(values.district), address: blankToNull(values.address), openedOn: values.openedOn ? values.openedOn.format('YYYY-MM-DD') : null,
    }
    const saved = store
      ? await call(api.PATCH('/api/v1/stores/{id}', { params: { path: { id: store.id } }, body }))
      : await call(api.POST('/api/v1/stores', { body }))
    onSaved(saved, !store)
  }

  return (
    <FormModal
      open={open} title={store ? t('editTitle', { code: store.code }) : t('create')} onClose={onClose} width={640}
      form={form} name="store" formTestId="store-form" initialValues={initialValues} onSubmit={submit} submitTestId="store-form-submit"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="code" label={t('form.code')} extra={t('form.codeHelp')}
            rules={[{ required: true, whitespace: true }, { pattern: STORE_CODE, message: t('form.codePattern') }]}
          >
            <Input data-testid="store-code" maxLength={32} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="name" label={t('form.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
            <Input data-testid="store-name" maxLength={100} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="regionId" label={t('form.region')}>
            <Select
              data-testid="store-region" allowClear placeholder={t('form.regionPlaceholder')}
              showSearch={{ optionFilterProp: 'label' }}
              options={regions.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="openedOn" label={t('form.openedOn')}>
            <DatePicker data-testid="store-opened-on" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="city" label={t('form.city')} rules={[{ required: true, whitespace: true }, { max: 50 }]}>
            <Input data-testid="store-city" maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="district" label={t('form.district')} rules={[{ max: 50 }]}>
            <Input data-testid="store-district" maxLength={50} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="address" label={t('form.address')} rules={[{ max: 200 }]}>
            <Input data-testid="store-address" maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  )
}
