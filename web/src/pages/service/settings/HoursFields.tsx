import { Form, Input } from 'antd'
import { useTranslation } from 'react-i18next'
import { DAYS, parseIntervals } from '../tickets/ticket-format.js'

/** A text field per weekday for its working intervals ("09:00-18:00, 19:00-21:00"), under `name`. */
export const HoursFields = ({ name, testId }: { name: string; testId: string }) => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  return (
    <>
      {DAYS.map((d) => (
        <Form.Item
          key={d} name={[name, d]} label={t(`days.${d}`)} style={{ marginBottom: 8 }}
          rules={[{ validator: async (_, v: string | undefined) => { if (parseIntervals(v ?? '') === null) throw new Error(t('settings.teams.hoursInvalid')) } }]}
        >
          <Input placeholder={t('settings.teams.hoursPlaceholder')} data-testid={`${testId}-${d}`} />
        </Form.Item>
      ))}
    </>
  )
}
