// The insight overview (客户洞察) and the headline KPIs the dashboard home shares.
export default {
  title: '客户洞察',
  help: '上一个完整月的核心指标，与其前一月（环比）和去年同月（同比）对比，小图为近 12 个月的走势；下方进入各项分析。',
  headline: '核心指标（{{month}}）',
  storeOnly: '本店',
  mom: '环比',
  yoy: '同比',
  allKpis: '全部指标',
  report: '绩效评估报告',
  links: {
    rfm: { title: 'RFM 分析', text: '按最近一次消费、频次、金额把会员分成八类' },
    quadrants: { title: '价值象限', text: '收入 × 年消费：核心、重点发展、可发展、放弃发展' },
    pareto: { title: '二八分析', text: '前 X% 的会员贡献了多少消费' },
    lifecycle: { title: '生命周期', text: '新客户、活跃、沉睡、流失、回流及其流转' },
    tags: { title: '会员标签', text: '按规则自动打标签，店员一看就懂' },
    segments: { title: '客户分群', text: '组合条件圈选会员，发券、导出' },
    kpis: { title: '经营指标', text: '按日、周、月的会员与销售指标，同比环比' },
    report: { title: 'CRM 绩效评估', text: '月度报告：实际对比目标，分区域和门店' },
  },
} as const
