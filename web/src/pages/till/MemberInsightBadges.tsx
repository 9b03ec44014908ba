import { Flex, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Member } from '../../shared/member-options.js'

type LookupProfile = NonNullable<Member['profile']>

/**
 * What the clerk should know of whom they serve, beside the balance: the member's tags, RFM class,
 * lifecycle stage and main department, as of the latest insight refresh (the lookup brings them).
 */
export const MemberInsightBadges = ({ profile }: { profile: LookupProfile }) => {
  const { t } = useTranslation('insight')
  const classes = [
    profile.rfmClass && { key: 'rfm', color: 'gold', text: t(`rfm.classNames.${profile.rfmClass}` as 'rfm.classNames.important_value') },
    profile.lifecycle && { key: 'lifecycle', color: 'geekblue', text: t(`lifecycle.stages.${profile.lifecycle}` as 'lifecycle.stages.new') },
    profile.mainDepartment && { key: 'department', color: 'default', text: profile.mainDepartment },
  ].filter((x): x is { key: string; color: string; text: string } => Boolean(x))
  if (classes.length === 0 && profile.tags.length === 0) return null
  return (
    <Flex vertical gap={4} style={{ marginTop: 8 }} data-testid="till-member-insight">
      {profile.tags.length > 0 && (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary">{t('profile.till.tags')}</Typography.Text>
          {profile.tags.map((x) => <Tag key={x.id} color={x.color ?? undefined} data-testid={`till-member-tag-${x.name}`}>{x.name}</Tag>)}
        </Flex>
      )}
      {classes.length > 0 && (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary">{t('profile.till.class')}</Typography.Text>
          {classes.map((c) => <Tag key={c.key} color={c.color} bordered={false} data-testid={`till-member-${c.key}`}>{c.text}</Tag>)}
        </Flex>
      )}
    </Flex>
  )
}
