import type zh from '../../zh-CN/insight/pareto.js'
import type { Translation } from '../../../types.js'

export default {
  title: '80/20 analysis',
  help: 'The members who bought in the period, sorted by spend net of returns, highest first: how much of the spend the top X% of them make. The more the curve bulges to the top left, the more the spend rests on a few members.',
  from: 'From',
  to: 'To',
  period: 'Period (business dates)',
  curve: 'Pareto curve',
  curveHelp: 'Across: the top X% of members by spend, highest first; up: their share of all members’ net spend. The dotted diagonal is what an even spread would look like.',
  cumulative: 'Cumulative share of spend',
  even: 'Even spread',
  memberAxis: 'Share of members (highest spend first)',
  spendAxis: 'Share of spend',
  top20: 'Spend share of the top 20%',
  top20Help: 'The net spend of the 20% of members who spent most (the count rounded up) ÷ the net spend of all members who bought. The classic 80/20 rule puts it near 80%.',
  for80: 'Members making 80% of spend',
  for80Help: 'Adding members from the highest spend down, the fewest needed to reach 80% of all members’ net spend, and their share of the members who bought.',
  for80Value: '{{members}} ({{share}})',
  buyers: 'Members who bought',
  buyersHelp: 'Members whose net spend in the period is above 0 (returns that cancel a purchase leave 0 and are not counted).',
  totalSpend: 'Members’ net spend',
  table: 'Curve data',
  columns: {
    memberShare: 'Top X% of members',
    members: 'Members',
    spendShare: 'Share of spend',
    spend: 'Cumulative spend',
  },
  sheet: '80-20',
  noData: 'No member bought in the period',
  badPeriod: 'The end date cannot be before the start date',
} satisfies Translation<typeof zh>
