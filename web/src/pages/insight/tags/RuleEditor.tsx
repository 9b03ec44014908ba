import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, Flex, InputNumber, Segmented, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import {
  BOUGHT_OPS, CHOICE_FIELDS, CHOICE_VALUES, FIELDS, NUMBER_FIELDS, NUMBER_OPS, emptyLeaf, type Field, type LeafForm, type RuleForm,
} from './rule-form.js'

/** Labels of a choice field's values, from the pages that define them. */
const useValueLabel = () => {
  const { t } = useTranslation('insight')
  return (field: Field, value: string): string => {
    switch (field) {
      case 'rfm_class': return t(`rfm.classNames.${value}` as 'rfm.classNames.important_value')
      case 'lifecycle': return t(`lifecycle.stages.${value}` as 'lifecycle.stages.new')
      case 'quadrant': return t(`quadrants.names.${value}` as 'quadrants.names.core')
      case 'frequency_class': case 'amount_class': return t(`tags.levels.${value}` as 'tags.levels.high')
      case 'gender': return t(`tags.genders.${value}` as 'tags.genders.male')
      default: return value
    }
  }
}

const isNumber = (f: Field) => (NUMBER_FIELDS as readonly string[]).includes(f)
const isChoice = (f: Field) => (CHOICE_FIELDS as readonly string[]).includes(f)

/**
 * A tag's rule as a list of simple conditions, all or any of which a member meets: bought in a
 * department / category / brand / SKU within N days at least M times, a figure compared with a
 * number, a class or profile value, another tag. No JSON to type.
 */
export const RuleEditor = ({ value, onChange, tags, errors }: {
  value: RuleForm
  onChange: (next: RuleForm) => void
  tags: Array<{ id: string; name: string }>
  /** the server's reasons per condition (by index) */
  errors: Map<number, string[]>
}) => {
  const { t } = useTranslation('insight', { keyPrefix: 'tags' })
  const label = useValueLabel()
  const setLeaf = (i: number, leaf: LeafForm) => onChange({ ...value, leaves: value.leaves.map((l, j) => (j === i ? leaf : l)) })

  return (
    <Flex vertical gap={8} data-testid="tag-rule-editor">
      {value.leaves.length > 1 && (
        <Segmented
          value={value.join} onChange={(join) => onChange({ ...value, join: join as 'all' | 'any' })} data-testid="tag-rule-join"
          options={[{ value: 'all', label: t('form.join.all') }, { value: 'any', label: t('form.join.any') }]}
        />
      )}
      {value.leaves.map((leaf, i) => (
        <Flex key={i} vertical gap={2} data-testid={`tag-rule-leaf-${i}`}>
          <Flex gap={6} wrap align="center">
            <Select<Field>
              style={{ width: 230 }} value={leaf.field} aria-label={t('form.field')} data-testid={`tag-rule-field-${i}`}
              onChange={(field) => setLeaf(i, emptyLeaf(field))}
              options={FIELDS.map((f) => ({ value: f, label: t(`fields.${f}`) }))}
            />
            {leaf.field === 'bought' && (
              <>
                <Select style={{ width: 110 }} value={leaf.op} onChange={(op) => setLeaf(i, { ...leaf, op })} aria-label={t('form.op')}
                  options={BOUGHT_OPS.map((o) => ({ value: o, label: t(`ops.${o}`) }))} />
                <Select
                  mode="tags" style={{ minWidth: 160 }} value={leaf.values} placeholder={t('valuesPlaceholder')} data-testid={`tag-rule-values-${i}`}
                  onChange={(values: string[]) => setLeaf(i, { ...leaf, values })} open={false} aria-label={t('form.value')}
                />
                <InputNumber min={1} max={3650} precision={0} value={leaf.days} onChange={(days) => setLeaf(i, { ...leaf, days })}
                  prefix={t('form.days')} style={{ width: 140 }} data-testid={`tag-rule-days-${i}`} />
                <InputNumber min={1} max={1000} precision={0} value={leaf.min} onChange={(min) => setLeaf(i, { ...leaf, min })}
                  prefix={t('form.min')} style={{ width: 150 }} data-testid={`tag-rule-min-${i}`} />
              </>
            )}
            {isNumber(leaf.field) && (
              <>
                <Select style={{ width: 100 }} value={leaf.op} onChange={(op) => setLeaf(i, { ...leaf, op })} aria-label={t('form.op')}
                  options={NUMBER_OPS.map((o) => ({ value: o, label: t(`ops.${o}`) }))} />
                <InputNumber value={leaf.value} onChange={(v) => setLeaf(i, { ...leaf, value: v })} style={{ width: 140 }}
                  precision={leaf.field === 'spend_w' || leaf.field === 'avg_ticket_w' ? 2 : leaf.field === 'interval_days' ? 1 : 0}
                  aria-label={t('form.value')} data-testid={`tag-rule-number-${i}`} />
              </>
            )}
            {isChoice(leaf.field) && (
              <>
                <Select style={{ width: 90 }} value={leaf.op} onChange={(op) => setLeaf(i, { ...leaf, op })} aria-label={t('form.op')}
                  options={(['in', 'not_in'] as const).map((o) => ({ value: o, label: t(`ops.${o}`) }))} />
                <Select
                  mode={CHOICE_VALUES[leaf.field] ? 'multiple' : 'tags'} style={{ minWidth: 220 }} value={leaf.values} aria-label={t('form.value')}
                  onChange={(values: string[]) => setLeaf(i, { ...leaf, values })} data-testid={`tag-rule-choices-${i}`}
                  placeholder={CHOICE_VALUES[leaf.field] ? undefined : t('valuesPlaceholder')} open={CHOICE_VALUES[leaf.field] ? undefined : false}
                  options={(CHOICE_VALUES[leaf.field] ?? []).map((v) => ({ value: v, label: label(leaf.field, v) }))}
                />
              </>
            )}
            {leaf.field === 'tag' && (
              <>
                <Select style={{ width: 90 }} value={leaf.op} onChange={(op) => setLeaf(i, { ...leaf, op })} aria-label={t('form.op')}
                  options={(['has', 'lacks'] as const).map((o) => ({ value: o, label: t(`ops.${o}`) }))} />
                <Select style={{ minWidth: 180 }} value={leaf.values?.[0]} onChange={(id: string) => setLeaf(i, { ...leaf, values: [id] })}
                  options={tags.map((x) => ({ value: x.id, label: x.name }))} aria-label={t('form.tag')} data-testid={`tag-rule-tag-${i}`} />
              </>
            )}
            {value.leaves.length > 1 && (
              <Button type="text" icon={<DeleteOutlined />} aria-label={t('form.remove')}
                onClick={() => onChange({ ...value, leaves: value.leaves.filter((_, j) => j !== i) })} />
            )}
          </Flex>
          {errors.get(i)?.map((e) => <Typography.Text key={e} type="danger" data-testid={`tag-rule-error-${i}`}>{e}</Typography.Text>)}
        </Flex>
      ))}
      <div>
        <Button icon={<PlusOutlined />} size="small" onClick={() => onChange({ ...value, leaves: [...value.leaves, emptyLeaf()] })} data-testid="tag-rule-add">
          {t('form.addCondition')}
        </Button>
      </div>
    </Flex>
  )
}
