import { Typography } from 'antd'
import { useTranslation } from 'react-i18next'

const PARTS = ['repeat', 'together', 'similar', 'popular'] as const
const BUILDING = ['together', 'similar', 'neighbours', 'period'] as const

/**
 * How a suggestion is made (the member card's help, the insight page's card): the parts of its
 * score and what is never suggested; with `building`, how the model is built too.
 */
export const RecommendationDefinitions = ({ excludeDays, building = false }: { excludeDays: number; building?: boolean }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'recommendations' })
  return (
    <div data-testid="recommendations-definitions">
      <Typography.Paragraph style={{ marginBottom: 4 }}>{t('definitions.intro')}</Typography.Paragraph>
      <ul style={{ paddingInlineStart: 20, marginBottom: 8 }}>
        {PARTS.map((p) => <li key={p}>{t(`definitions.${p}`)}</li>)}
      </ul>
      <Typography.Paragraph style={{ marginBottom: building ? 12 : 0 }}>{t('definitions.excluded', { days: excludeDays })}</Typography.Paragraph>
      {building && (
        <>
          <Typography.Text strong>{t('building.title')}</Typography.Text>
          <ul style={{ paddingInlineStart: 20, marginBottom: 0, marginTop: 4 }}>
            {BUILDING.map((p) => <li key={p}>{t(`building.${p}`)}</li>)}
          </ul>
        </>
      )}
    </div>
  )
}
