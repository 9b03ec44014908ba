import { App, Button, Card, Checkbox, Col, Divider, Form, Radio, Result, Row, Select, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import { clearServerErrors, showFieldErrors } from '../../components/errors.js'
import { localizeFieldErrors } from '../../components/field-errors.js'
import { CONSENT_CHANNELS, REGISTER_CHANNELS, type ConsentChannel, type Member } from '../../shared/member-options.js'
import { ProfileFields, toApiProfile, type ProfileValues } from './ProfileFields.js'
import { useErrorText } from '../../hooks/use-error-text.js'
import { useStores } from '../../hooks/use-stores.js'

interface RegisterValues extends ProfileValues {
  registrationStoreId?: string | null
  channel: (typeof REGISTER_CHANNELS)[number]
  consents: ConsentChannel[]
}

export const MemberRegisterPage = () => {
  const { t } = useTranslation('members')
  const { message } = App.useApp()
  const navigate = useNavigate()
  const errorText = useErrorText()
  const { user } = useSession()
  const { stores } = useStores()
  const [form] = Form.useForm<RegisterValues>()
  const [busy, setBusy] = useState(false)
  const [existing, setExisting] = useState<Member | null>(null)
  // Store roles register at their own store only (the server enforces it too).
  const ownStore = user?.storeId ?? null

  const submit = async (values: RegisterValues) => {
    setBusy(true)
    try {
      const consents = Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, values.consents.includes(c)]))
      // No store is left out rather than sent as null: the API's validation turns a null id into "" (no such store).
      const { member, created } = await call(api.POST('/api/v1/members', {
        body: { ...toApiProfile(values), registrationStoreId: ownStore ?? values.registrationStoreId ?? undefined, channel: values.channel, consents },
      }))
      // 200 with created: false = the phone is already a member; nothing was registered.
      if (!created) {
        setExisting(member)
        return
      }
      void message.success(t('register.created', { cardNo: member.cardNo }))
      await navigate(`/members/${member.id}`)
    } catch (err) {
      // 422/409 name their fields; show each beside its field, and the code's message above.
      showFieldErrors(form, localizeFieldErrors(t, err))
      void message.error(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  if (existing) {
    return (
      <Card>
        <Result
          status="info" title={t('register.exists')} subTitle={t('register.existsDetail', { cardNo: existing.cardNo })} data-testid="register-exists"
          extra={[
            <Button type="primary" key="open" onClick={() => void navigate(`/members/${existing.id}`)} data-testid="register-open-existing">{t('register.openExisting')}</Button>,
            <Button key="again" onClick={() => { form.resetFields(); setExisting(null) }}>{t('register.registerAnother')}</Button>,
          ]}
        />
      </Card>
    )
  }

  return (
    <Card title={t('register.title')}>
      <Form<RegisterValues>
        form={form} layout="vertical" style={{ maxWidth: 880 }} onFinish={(v) => void submit(v)} onValuesChange={clearServerErrors(form)} scrollToFirstError data-testid="register-form"
        initialValues={{ registrationStoreId: ownStore, channel: 'till', consents: [], gender: null }}
      >
        <Divider titlePlacement="start">{t('register.basic')}</Divider>
        <ProfileFields requirePhone />
        <Divider titlePlacement="start">{t('register.registration')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="registrationStoreId" label={t('fields.registrationStore')}>
              <Select
                allowClear={!ownStore} disabled={Boolean(ownStore)} showSearch={{ optionFilterProp: 'label' }} placeholder={t('register.storePlaceholder')}
                options={stores.filter((s) => s.status === 'open' || s.id === ownStore).map((s) => ({ value: s.id, label: s.name }))} data-testid="field-registrationStoreId"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="channel" label={t('fields.channel')}>
              <Radio.Group optionType="button" options={REGISTER_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} data-testid="field-channel" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="consents" label={t('fields.consents')} extra={<Typography.Text type="secondary">{t('register.consentsHint')}</Typography.Text>}>
              <Checkbox.Group options={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`consentChannels.${c}`) }))} data-testid="field-consents" />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="register-submit">{t('register.submit')}</Button>
      </Form>
    </Card>
  )
}

export default MemberRegisterPage
