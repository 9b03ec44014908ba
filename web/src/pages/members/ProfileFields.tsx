import { Col, DatePicker, Form, Input, Row, Select } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { EDUCATIONS, GENDERS, INCOME_BANDS, OCCUPATIONS, type Education, type Gender, type IncomeBand, type Occupation, type PiiField } from '../../shared/member-options.js'

/** Light checks only (the server is the authority): present, and 11 digits once +86 and spaces are gone. */
export const phoneRules = (t: TFunction<'members'>, required: boolean) => [
  { required, message: t('register.phoneRequired') },
  {
    validator: (_: unknown, value: string | undefined) => {
      const digits = (value ?? '').replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '')
      return !value || /^\d{11}$/.test(digits) ? Promise.resolve() : Promise.reject(new Error(t('register.phoneFormat')))
    },
  },
]

/**
 * The profile fields of registration and editing, named as the API names them so server
 * field errors land next to them. `placeholders` shows masked values in PII fields left empty
 * (editing: empty = unchanged).
 */
export const ProfileFields = ({ placeholders, requirePhone }: { placeholders?: Partial<Record<PiiField, string | null>>; requirePhone: boolean }) => {
  const { t } = useTranslation('members')
  const hint = (f: PiiField) => placeholders?.[f] ?? undefined
  const span = { xs: 24, md: 12 }
  return (
    <Row gutter={16}>
      <Col {...span}>
        <Form.Item name="phone" label={t('fields.phone')} rules={phoneRules(t, requirePhone)}>
          <Input inputMode="tel" maxLength={20} placeholder={hint('phone')} data-testid="field-phone" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="name" label={t('fields.name')} rules={[{ max: 50, message: t('fieldErrors.name') }]}>
          <Input maxLength={50} placeholder={hint('name')} data-testid="field-name" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="gender" label={t('fields.gender')}>
          <Select allowClear options={GENDERS.map((g) => ({ value: g, label: t(`genders.${g}`) }))} data-testid="field-gender" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="birthday" label={t('fields.birthday')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'day')} data-testid="field-birthday" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="idNumber" label={t('fields.idNumber')}>
          <Input maxLength={18} placeholder={hint('idNumber')} data-testid="field-idNumber" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="email" label={t('fields.email')}>
          <Input type="email" maxLength={254} placeholder={hint('email')} data-testid="field-email" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="occupation" label={t('fields.occupation')}>
          <Select allowClear options={OCCUPATIONS.map((o) => ({ value: o, label: t(`occupations.${o}`) }))} data-testid="field-occupation" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="education" label={t('fields.education')}>
          <Select allowClear options={EDUCATIONS.map((e) => ({ value: e, label: t(`educations.${e}`) }))} data-testid="field-education" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="incomeBand" label={t('fields.incomeBand')}>
          <Select allowClear options={INCOME_BANDS.map((b) => ({ value: b, label: t(`incomeBands.${b}`) }))} data-testid="field-incomeBand" />
        </Form.Item>
      </Col>
      <Col {...span}>
        <Form.Item name="district" label={t('fields.district')} rules={[{ max: 50, message: t('fieldErrors.district') }]}>
          <Input maxLength={50} data-testid="field-district" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="address" label={t('fields.address')} rules={[{ max: 200, message: t('fieldErrors.address') }]}>
          <Input maxLength={200} placeholder={hint('address')} data-testid="field-address" />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** Form values of the profile fields. */
export interface ProfileValues {
  phone?: string | null
  name?: string | null
  gender?: Gender | null
  birthday?: Dayjs | null
  idNumber?: string | null
  email?: string | null
  occupation?: Occupation | null
  education?: Education | null
  incomeBand?: IncomeBand | null
  district?: string | null
  address?: string | null
}

/** Blank text becomes null, a date YYYY-MM-DD: what the API takes. */
export const toApiProfile = (v: ProfileValues) => {
  const text = (s: string | null | undefined) => (s && s.trim() !== '' ? s.trim() : null)
  return {
    phone: text(v.phone),
    name: text(v.name),
    gender: v.gender ?? null,
    birthday: v.birthday ? v.birthday.format('YYYY-MM-DD') : null,
    idNumber: text(v.idNumber),
    email: text(v.email),
    occupation: v.occupation ?? null,
    education: v.education ?? null,
    incomeBand: v.incomeBand ?? null,
    district: text(v.district),
    address: text(v.address),
  }
}
