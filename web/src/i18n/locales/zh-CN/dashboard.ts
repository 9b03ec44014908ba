export default {
  totalMembers: '会员总数',
  newThisWeek: '本周新增会员（{{since}} 起）',
  byStore: '各门店会员数',
  byChannel: '注册渠道',
  members: '会员数',
  unassigned: '未指定门店',
  channels: { till: '收银台', qr: '扫码自助', mini_program: '小程序', import: '导入' },
} as const
