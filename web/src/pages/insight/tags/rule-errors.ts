// Where in a tag's rule the server found a problem: its path (`rule.all[1].any[0].days`) as the
// editor says it, "condition 2.1 · days", next to the builder.

export interface RulePlace {
  /** the condition's position, 1-based at each level (empty: the rule as a whole) */
  steps: number[]
  /** the input of the condition (days, value, op, min …), or '' */
  input: string
}

/** The place of a rule error, or null when the error is not about the rule. */
export const rulePlace = (field: string): RulePlace | null => {
  if (field !== 'rule' && !field.startsWith('rule.')) return null
  const steps = [...field.matchAll(/\[(\d+)\]/g)].filter((m) => !/\.value\[\d+\]$/.test(field.slice(0, (m.index ?? 0) + m[0].length))).map((m) => Number(m[1]) + 1)
  const input = /\.(days|value|op|min|field)(\[\d+\])?$/.exec(field)?.[1] ?? ''
  return { steps, input }
}
