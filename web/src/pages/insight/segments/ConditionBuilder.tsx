import { DeleteOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons'
import { Button, Card, Flex, InputNumber, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd'
import { useMemo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { useStores } from '../../../hooks/use-stores.js'
import { useTiers } from '../../../hooks/use-tiers.js'
import {
  addGroup, addLeaf, asRoot, childrenOf, CONSENT_CHANNELS, FIELDS, FIELD_GROUPS, fieldKind, fromDisplay, joinOf, opsOf, pathKey, removeAt, setJoin,
  toDisplay, toggleNot, updateAt, withOp, type Node, type OptionSource, type Path, type Unit,
} from './condition-model.js'

type Option = { value: string; label: string }

/** The lists the value inputs choose from, loaded once for the whole tree (each optional: a role that may not read one gets free text). */
const useOptions = () => {
  const { can } = useSession()
  const { stores } = useStores()
  const { tiers } = useTiers()
  const tree = useApiQuery('/api/v1/products/tree', { params: { query: { status: 'active' } } }, { staleTime: REFERENCE_STALE_MS }).data
  const tags = useApiQuery('/api/v1/insight/tags', undefined, { staleTime: REFERENCE_STALE_MS, enabled: can('insight.read') }).data
  const templates = useApiQuery('/api/v1/coupon-templates', undefined, { staleTime: REFERENCE_STALE_MS, enabled: can('rewards.read') }).data
  return useMemo(() => {
    const departments = (tree ?? []).flatMap((d) => (d.name ? [{ value: d.name, label: d.name }] : []))
    const categories = (tree ?? []).flatMap((d) => d.categories.flatMap((c) => (c.name ? [{ value: c.name, label: d.name ? `${d.name} / ${c.name}` : c.name }] : [])))
    return {
      stores: stores.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` })),
      tiers: tiers.map((x) => ({ value: x.code, label: x.name })),
      departments,
      categories: [...new Map(categories.map((c) => [c.value, c])).values()],
      tags: (tags ?? []).map((x) => ({ value: x.id, label: x.name })),
      templates: (templates ?? []).map((x) => ({ value: x.id, label: x.name })),
    } satisfies Record<string, Option[]>
  }, [stores, tiers, tree, tags, templates])
}

type Options = ReturnType<typeof useOptions>

/**
 * The condition language as nested groups: "all of / any of" groups, conditions picked from a
 * field list grouped as profile, behaviour, classes, tags, points & coupons, NOT on any node.
 * Controlled (`value` is the API's JSON, `onChange` gets the next one); the root is always a
 * group. Test ids follow the path of each node: cond-add-root, cond-field-1, cond-value-1-0 …
 * Its selects say `width: 'auto'`: inside a form item (the tag editor's rule) antd would stretch
 * each to the whole row, one per line.
 */
export const ConditionBuilder = ({ value, onChange, disabled }: { value: unknown; onChange: (next: Node) => void; disabled?: boolean }) => {
  const root = asRoot(value)
  const options = useOptions()
  return (
    <div data-testid="condition-builder">
      <GroupView node={root} path={[]} root={root} onChange={onChange} options={options} disabled={disabled} />
    </div>
  )
}

interface ViewProps { root: Node; onChange: (next: Node) => void; options: Options; disabled?: boolean }

const GroupView = ({ node, path, root, onChange, options, disabled }: ViewProps & { node: Node; path: Path }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments.builder' })
  const join = joinOf(node)!
  const key = pathKey(path)
  const fieldOptions = FIELD_GROUPS.map((g) => ({
    label: t(`groups.${g}`),
    options: Object.keys(FIELDS[g]).map((f) => ({ value: f, label: t(`fields.${f}` as never) })),
  }))
  const children = childrenOf(node)
  return (
    <Card size="small" style={{ background: path.length % 2 ? '#fafafa' : undefined }} data-testid={`cond-group-${key}`}>
      <Flex vertical gap={8}>
        <Segmented
          size="small" disabled={disabled} value={join} data-testid={`cond-join-${key}`}
          options={[{ value: 'all', label: t('all') }, { value: 'any', label: t('any') }]}
          onChange={(v) => onChange(setJoin(root, path, v as 'all' | 'any'))}
        />
        {children.length === 0 && <Typography.Text type="secondary">{path.length === 0 ? t('emptyRoot') : t('emptyGroup')}</Typography.Text>}
        {children.map((child, i) => (
          <ChildView key={i} node={child} path={[...path, i]} root={root} onChange={onChange} options={options} disabled={disabled} />
        ))}
        <Space wrap>
          {/* a picker, not a field: it comes back empty (a new one) once a condition is added */}
          <Select
            key={children.length} showSearch={{ optionFilterProp: 'label' }} disabled={disabled} style={{ width: 'auto', minWidth: 200 }} placeholder={<><PlusOutlined /> {t('addCondition')}</>}
            options={fieldOptions} onChange={(f: string) => onChange(addLeaf(root, path, f))} data-testid={`cond-add-${key}`}
          />
          <Button size="small" icon={<PlusOutlined />} disabled={disabled} onClick={() => onChange(addGroup(root, path, join === 'all' ? 'any' : 'all'))} data-testid={`cond-add-group-${key}`}>
            {t('addGroup')}
          </Button>
        </Space>
      </Flex>
    </Card>
  )
}

/** One member of a group: a condition or a group, possibly negated, with its own negate and remove. */
const ChildView = ({ node, path, root, onChange, options, disabled }: ViewProps & { node: Node; path: Path }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments.builder' })
  const negated = 'not' in node
  const inner = negated ? (node.not as Node) : node
  const innerPath: Path = negated ? [...path, 'not'] : path
  const key = pathKey(path)
  return (
    <Flex gap={8} align="flex-start" data-testid={`cond-node-${key}`}>
      {negated && <Tag color="red" style={{ marginTop: 4 }} data-testid={`cond-not-${key}`}>{t('not')}</Tag>}
      <div style={{ flex: 1 }}>
        {joinOf(inner)
          ? <GroupView node={inner} path={innerPath} root={root} onChange={onChange} options={options} disabled={disabled} />
          : <LeafView node={inner} path={innerPath} root={root} onChange={onChange} options={options} disabled={disabled} />}
      </div>
      <Tooltip title={negated ? t('unnegate') : t('negate')}>
        <Button size="small" type={negated ? 'primary' : 'default'} danger={negated} icon={<StopOutlined />} disabled={disabled} aria-label={t('negate')}
          onClick={() => onChange(toggleNot(root, path))} data-testid={`cond-negate-${key}`} />
      </Tooltip>
      <Tooltip title={t('remove')}>
        <Button size="small" icon={<DeleteOutlined />} disabled={disabled} aria-label={t('remove')} onClick={() => onChange(removeAt(root, path))} data-testid={`cond-remove-${key}`} />
      </Tooltip>
    </Flex>
  )
}

const sourceOptions = (options: Options, source: OptionSource | undefined): Option[] | null =>
  source === 'stores' ? options.stores : source === 'tiers' ? options.tiers : source === 'departments' ? options.departments : source === 'categories' ? options.categories : null

const LeafView = ({ node, path, root, onChange, options, disabled }: ViewProps & { node: Node; path: Path }) => {
  const { t } = useTranslation('insight', { keyPrefix: 'segments.builder' })
  const field = String(node.field)
  const kind = fieldKind(field)
  const key = pathKey(path)
  const set = (next: Node) => onChange(updateAt(root, path, () => next))
  const setValue = (v: unknown) => set({ ...node, value: v })
  const op = String(node.op)
  const valueWord = (v: string) => t(`values.${field === 'quadrant' && v === 'unknown' ? 'unknownQuadrant' : v}` as never, { defaultValue: v })

  const opSelect = (
    <Select size="small" style={{ width: 'auto', minWidth: 110 }} disabled={disabled} value={op} data-testid={`cond-op-${key}`}
      options={opsOf(field).map((o) => ({ value: o, label: t(`ops.${o}` as never) }))} onChange={(o: string) => set(withOp(node, o))} />
  )
  const days = (
    <Space size={4}>
      <span>{t('within')}</span>
      <InputNumber size="small" min={1} max={3650} precision={0} style={{ width: 80 }} disabled={disabled} value={(node.days as number | null) ?? null}
        onChange={(d) => set({ ...node, days: d })} data-testid={`cond-days-${key}`} />
      <span>{t('days')}</span>
    </Space>
  )
  const multi = (opts: Option[] | null, width = 260) => (
    <Select
      size="small" mode={opts ? 'multiple' : 'tags'} style={{ width: 'auto', minWidth: width }} disabled={disabled} value={(node.value as string[] | null) ?? []}
      placeholder={opts ? t('choose') : t('typeValues')} options={opts ?? []} showSearch={{ optionFilterProp: 'label' }} maxTagCount="responsive"
      onChange={(v: string[]) => setValue(v)} data-testid={`cond-value-${key}`} tokenSeparators={opts ? undefined : [',', '，']}
    />
  )

  let input: ReactNode
  switch (kind?.kind) {
    case 'number': {
      const unit = kind.unit
      const num = (v: number | null, onSet: (n: number | null) => void, testId: string) => (
        <InputNumber size="small" style={{ width: 120 }} disabled={disabled} value={toDisplay(unit, v)} precision={unit === 'yuan' ? 2 : field === 'interval_days' ? 1 : 0}
          min={0} onChange={(n) => onSet(fromDisplay(unit, n))} data-testid={testId} />
      )
      const unitText = <span>{t(`units.${unit as Unit}`)}</span>
      if (op === 'between') {
        const [a, b] = (Array.isArray(node.value) ? node.value : [null, null]) as Array<number | null>
        input = (
          <Space size={4}>
            {num(a ?? null, (n) => setValue([n, b ?? null]), `cond-value-${key}`)}<span>–</span>{num(b ?? null, (n) => setValue([a ?? null, n]), `cond-value2-${key}`)}{unitText}
          </Space>
        )
      } else input = <Space size={4}>{num((node.value as number | null) ?? null, setValue, `cond-value-${key}`)}{unitText}</Space>
      break
    }
    case 'choice': {
      const opts = kind.values ? kind.values.map((v) => ({ value: v, label: valueWord(v) })) : sourceOptions(options, kind.source)
      // No list to choose from (free text, or one this role may not read): typed values instead.
      input = multi(opts && opts.length > 0 ? opts : null)
      break
    }
    case 'consent':
      input = (
        <Select size="small" style={{ width: 'auto', minWidth: 120 }} disabled={disabled} value={String(node.value)} data-testid={`cond-value-${key}`}
          options={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`consent.${c}`) }))} onChange={setValue} />
      )
      break
    case 'bought': {
      const opts = op === 'department' ? options.departments : op === 'category' ? options.categories : null
      input = (
        <Space size={4} wrap>
          {multi(opts && opts.length > 0 ? opts : null, 220)}
          {days}
          <span>{t('atLeast')}</span>
          <InputNumber size="small" min={1} max={1000} precision={0} style={{ width: 70 }} disabled={disabled} value={(node.min as number | undefined) ?? 1}
            onChange={(m) => set(m && m > 1 ? { ...node, min: m } : (({ min: _min, ...rest }) => rest)(node))} data-testid={`cond-min-${key}`} />
          <span>{t('times')}</span>
        </Space>
      )
      break
    }
    case 'shopped_at':
      input = <Space size={4} wrap>{multi(options.stores)}{days}</Space>
      break
    case 'tag':
      input = (
        <Select size="small" style={{ width: 'auto', minWidth: 200 }} disabled={disabled} value={(node.value as string | null) ?? undefined} placeholder={t('choose')}
          options={options.tags} showSearch={{ optionFilterProp: 'label' }} onChange={setValue} data-testid={`cond-value-${key}`} />
      )
      break
    case 'coupon':
      input = (
        <Space size={4} wrap>
          <Select size="small" allowClear style={{ width: 'auto', minWidth: 200 }} disabled={disabled} value={(node.value as string | undefined) ?? undefined} placeholder={t('anyTemplate')}
            options={options.templates} showSearch={{ optionFilterProp: 'label' }} data-testid={`cond-value-${key}`}
            onChange={(v?: string) => set(v ? { ...node, value: v } : (({ value: _v, ...rest }) => rest)(node))} />
          {op === 'used' && days}
        </Space>
      )
      break
    default:
      input = <Typography.Text type="danger">{field}</Typography.Text>
  }

  return (
    <Flex gap={8} align="center" wrap data-testid={`cond-leaf-${key}`}>
      <Typography.Text strong>{t(`fields.${field}` as never, { defaultValue: field })}</Typography.Text>
      {opSelect}
      {input}
    </Flex>
  )
}
