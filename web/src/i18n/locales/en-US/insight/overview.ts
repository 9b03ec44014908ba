// The insight overview and the headline KPIs the dashboard home shares.
export default {
  title: 'Customer insight',
  help: 'The last whole month\'s headline figures, against the month before (MoM) and the same month last year (YoY), each with its last 12 months as a small line; below, the way into each analysis.',
  headline: 'Headline KPIs ({{month}})',
  storeOnly: 'Your store',
  mom: 'MoM',
  yoy: 'YoY',
  allKpis: 'All KPIs',
  report: 'Evaluation report',
  links: {
    rfm: { title: 'RFM', text: 'Members in eight classes by recency, frequency and spend' },
    quadrants: { title: 'Value quadrants', text: 'Income × yearly spend: core, develop, potential, abandon' },
    pareto: { title: '80/20', text: 'How much of the spend the top X% of members make' },
    lifecycle: { title: 'Lifecycle', text: 'New, active, dormant, lost and returning members, and the flows' },
    tags: { title: 'Tags', text: 'Rule-based tags a clerk understands' },
    segments: { title: 'Segments', text: 'Pick members by conditions; issue coupons, export' },
    kpis: { title: 'KPIs', text: 'Member and sales figures by day, week and month, MoM and YoY' },
    report: { title: 'CRM evaluation', text: 'The monthly report: actual against targets, by region and store' },
  },
} as const
