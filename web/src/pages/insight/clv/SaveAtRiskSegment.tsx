import { SaveOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { App, Button, Flex, Popconfirm, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call } from '../../../api/client.js'
import { useApiMutation } from '../../../api/query.js'
import { errorMessage } from '../../../components/errors.js'
import { formatCount } from '../../../format.js'
import { atRiskDefinition } from './clv-actions.js'

/**
 * 保存为客户分群: the at-risk list's definition (P(alive) below the line, CLV above zero) saved as
 * a segment, how many it picks now said before saving; then the segment's page.
 */
export const SaveAtRiskSegment = ({ belowPm }: { belowPm: number }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'clv.saveSegment' })
  const { t: tc } = useTranslation()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const definition = atRiskDefinition(belowPm)
  const below = belowPm / 10
  const count = useQuery({
    queryKey: ['segment-live-count', JSON.stringify(definition)],
    enabled: open,
    queryFn: () => call(api.POST('/api/v1/insight/segments/count', { body: { definition } })),
  })
  const create = useApiMutation('post', '/api/v1/insight/segments')

  const save = async () => {
    try {
      const segment = await create.mutateAsync({ body: { name: t('name', { below }), description: t('description', { below }), definition } })
      void message.success(t('saved'))
      void navigate(`/insight/segments/${segment.id}`)
    } catch (err) {
      void message.error(errorMessage(tc, err))
    }
  }

  return (
    <Popconfirm
      open={open} onOpenChange={setOpen} title={t('button')} onConfirm={() => save()}
      description={(
        <Flex vertical gap={4} style={{ maxWidth: 340 }}>
          <span>{t('confirm', { below })}</span>
          {count.data && <Typography.Text strong data-testid="clv-save-segment-count">{t('count', { n: formatCount(count.data.count) })}</Typography.Text>}
        </Flex>
      )}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'clv-save-segment-ok' } as never}
    >
      <Button icon={<SaveOutlined />} data-testid="clv-save-segment">{t('button')}</Button>
    </Popconfirm>
  )
}
