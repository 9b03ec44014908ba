import { Faker, base } from '@faker-js/faker'
import type { Role } from '../modules/auth/index.js'
import type { ConsentChannel, Education, IncomeBand, Occupation } from '../modules/members/index.js'

// Pure, deterministic demo data: stores, staff and members of a fictional chain.
// Faker is only the seeded random source. Names, streets and area codes come from the tables
// below, because faker's zh_CN names are not gendered, draw 上官 as often as 王, and have
// no pinyin to build a matching email from.

export interface DemoRegion {
  code: string
  name: string
}

export interface DemoStore {
  code: string
  name: string
  regionCode: string
  city: string
  district: string
  address: string
  openedOn: string
}

export interface DemoStaff {
  username: string
  displayName: string
  role: Role
  storeCode: string | null
  /** a region manager's region */
  regionCode?: string | null
  password: string
}

export interface DemoMember {
  phone: string
  name: string
  gender: 'male' | 'female'
  birthday: string
  idNumber: string | null
  email: string | null
  occupation: Occupation
  education: Education | null
  incomeBand: IncomeBand | null
  district: string
  address: string | null
  storeCode: string
  channel: 'till' | 'qr' | 'mini_program'
  registeredAt: string
  consents: Record<ConsentChannel, boolean>
  registeredByUsername: string
}

export interface DemoMembersOptions {
  count: number
  seed: number
  /** ISO date or date-time; ages and registration dates are relative to it. */
  referenceDate: string
}

type Weighted<T> = readonly (readonly [T, number])[]

const pick = <T>(faker: Faker, options: Weighted<T>): T => {
  let total = 0
  for (const [, weight] of options) total += weight
  let r = faker.number.int({ min: 0, max: total - 1 })
  for (const [value, weight] of options) {
    if (r < weight) return value
    r -= weight
  }
  throw new Error('pick: no options')
}

const chance = (faker: Faker, probability: number): boolean => faker.number.float({ min: 0, max: 1 }) < probability

// --- Places ---------------------------------------------------------------------------------

interface District {
  name: string
  /** GB/T 2260 code, the first six digits of a resident ID registered there. */
  areaCode: string
  streets: readonly string[]
}

interface City {
  name: string
  /** Tier-one cities pay more for the same job. */
  tierOne: boolean
  districts: readonly District[]
}

const CITIES: Record<string, City> = {
  上海: {
    name: '上海', tierOne: true, districts: [
      { name: '浦东新区', areaCode: '310115', streets: ['张杨路', '世纪大道', '东方路', '浦东南路', '杨高中路', '锦绣路'] },
      { name: '闵行区', areaCode: '310112', streets: ['七莘路', '莘松路', '虹井路', '都市路', '沪闵路'] },
      { name: '徐汇区', areaCode: '310104', streets: ['漕溪北路', '天钥桥路', '肇嘉浜路', '田林路'] },
      { name: '长宁区', areaCode: '310105', streets: ['天山路', '仙霞路', '延安西路', '中山西路'] },
      { name: '杨浦区', areaCode: '310110', streets: ['国定路', '四平路', '控江路', '黄兴路'] },
    ],
  },
  杭州: {
    name: '杭州', tierOne: false, districts: [
      { name: '西湖区', areaCode: '330106', streets: ['文三路', '文二路', '天目山路', '古墩路', '教工路'] },
      { name: '拱墅区', areaCode: '330105', streets: ['莫干山路', '湖墅南路', '大关路', '登云路'] },
      { name: '上城区', areaCode: '330102', streets: ['解放路', '庆春路', '清泰街', '秋涛路'] },
      { name: '滨江区', areaCode: '330108', streets: ['江南大道', '滨盛路', '长河路'] },
    ],
  },
  南京: {
    name: '南京', tierOne: false, districts: [
      { name: '鼓楼区', areaCode: '320106', streets: ['中山北路', '湖南路', '北京西路', '广州路'] },
      { name: '玄武区', areaCode: '320102', streets: ['珠江路', '北京东路', '龙蟠路', '太平北路'] },
      { name: '秦淮区', areaCode: '320104', streets: ['中华路', '太平南路', '长乐路'] },
      { name: '建邺区', areaCode: '320105', streets: ['江东中路', '水西门大街', '集庆门大街'] },
    ],
  },
  苏州: {
    name: '苏州', tierOne: false, districts: [
      { name: '姑苏区', areaCode: '320508', streets: ['人民路', '干将路', '十全街', '凤凰街', '三香路'] },
      { name: '吴中区', areaCode: '320506', streets: ['东吴北路', '宝带西路', '吴中大道'] },
      { name: '虎丘区', areaCode: '320505', streets: ['狮山路', '长江路', '竹园路'] },
      { name: '相城区', areaCode: '320507', streets: ['相城大道', '嘉元路', '华元路'] },
    ],
  },
  广州: {
    name: '广州', tierOne: true, districts: [
      { name: '天河区', areaCode: '440106', streets: ['体育西路', '天河路', '天河北路', '林和西路', '黄埔大道西'] },
      { name: '越秀区', areaCode: '440104', streets: ['环市东路', '东风中路', '北京路', '解放北路'] },
      { name: '海珠区', areaCode: '440105', streets: ['江南大道中', '工业大道', '昌岗中路', '宝岗大道'] },
      { name: '荔湾区', areaCode: '440103', streets: ['中山七路', '龙津西路', '芳村大道'] },
    ],
  },
  深圳: {
    name: '深圳', tierOne: true, districts: [
      { name: '南山区', areaCode: '440305', streets: ['南海大道', '深南大道', '科苑路', '南山大道'] },
      { name: '福田区', areaCode: '440304', streets: ['福华路', '深南中路', '华强北路', '红荔路', '彩田路'] },
      { name: '罗湖区', areaCode: '440303', streets: ['东门中路', '人民南路', '建设路', '宝安南路'] },
      { name: '龙岗区', areaCode: '440307', streets: ['龙岗大道', '龙翔大道'] },
    ],
  },
  厦门: {
    name: '厦门', tierOne: false, districts: [
      { name: '思明区', areaCode: '350203', streets: ['湖滨南路', '中山路', '厦禾路', '莲前东路', '鹭江道'] },
      { name: '湖里区', areaCode: '350206', streets: ['湖里大道', '枋湖路', '嘉禾路'] },
      { name: '集美区', areaCode: '350211', streets: ['集美大道', '银江路'] },
    ],
  },
  北京: {
    name: '北京', tierOne: true, districts: [
      { name: '朝阳区', areaCode: '110105', streets: ['阜通东大街', '望京街', '朝阳北路', '建国路', '东三环中路'] },
      { name: '海淀区', areaCode: '110108', streets: ['中关村大街', '知春路', '学院路', '海淀大街'] },
      { name: '东城区', areaCode: '110101', streets: ['东直门内大街', '王府井大街', '和平里东街'] },
      { name: '西城区', areaCode: '110102', streets: ['西单北大街', '金融大街', '阜成门内大街'] },
      { name: '丰台区', areaCode: '110106', streets: ['丰台北路', '南三环西路', '方庄路'] },
    ],
  },
  天津: {
    name: '天津', tierOne: false, districts: [
      { name: '南开区', areaCode: '120104', streets: ['鞍山西道', '白堤路', '黄河道', '卫津路'] },
      { name: '和平区', areaCode: '120101', streets: ['南京路', '滨江道', '和平路'] },
      { name: '河西区', areaCode: '120103', streets: ['友谊路', '解放南路', '围堤道', '黑牛城道'] },
    ],
  },
  济南: {
    name: '济南', tierOne: false, districts: [
      { name: '历下区', areaCode: '370102', streets: ['泉城路', '经十路', '解放路', '历山路', '文化东路'] },
      { name: '市中区', areaCode: '370103', streets: ['英雄山路', '纬二路', '经四路'] },
      { name: '天桥区', areaCode: '370105', streets: ['北园大街', '堤口路'] },
      { name: '历城区', areaCode: '370112', streets: ['花园路', '二环东路'] },
    ],
  },
}

const REGIONS: readonly DemoRegion[] = [
  { code: 'EAST', name: '华东区' },
  { code: 'SOUTH', name: '华南区' },
  { code: 'NORTH', name: '华北区' },
]

interface StoreRow extends DemoStore {
  /** Relative share of member registrations: a hypermarket signs up more members than a city store. */
  weight: number
}

// 苏州 is SU, because SZ is 深圳.
const STORES: readonly StoreRow[] = [
  { code: 'SH001', name: '上海浦东张杨路店', regionCode: 'EAST', city: '上海', district: '浦东新区', address: '上海市浦东新区张杨路1588号', openedOn: '2012-09-28', weight: 16 },
  { code: 'SH002', name: '上海闵行七宝店', regionCode: 'EAST', city: '上海', district: '闵行区', address: '上海市闵行区七莘路3655号', openedOn: '2015-04-18', weight: 12 },
  { code: 'HZ001', name: '杭州西湖文三路店', regionCode: 'EAST', city: '杭州', district: '西湖区', address: '杭州市西湖区文三路398号', openedOn: '2014-11-08', weight: 9 },
  { code: 'NJ001', name: '南京鼓楼中山北路店', regionCode: 'EAST', city: '南京', district: '鼓楼区', address: '南京市鼓楼区中山北路208号', openedOn: '2016-06-18', weight: 8 },
  { code: 'SU001', name: '苏州姑苏人民路店', regionCode: 'EAST', city: '苏州', district: '姑苏区', address: '苏州市姑苏区人民路1158号', openedOn: '2019-05-01', weight: 6 },
  { code: 'GZ001', name: '广州天河体育西路店', regionCode: 'SOUTH', city: '广州', district: '天河区', address: '广州市天河区体育西路123号', openedOn: '2013-12-20', weight: 12 },
  { code: 'SZ001', name: '深圳南山南海大道店', regionCode: 'SOUTH', city: '深圳', district: '南山区', address: '深圳市南山区南海大道2163号', openedOn: '2017-08-08', weight: 10 },
  { code: 'XM001', name: '厦门思明湖滨南路店', regionCode: 'SOUTH', city: '厦门', district: '思明区', address: '厦门市思明区湖滨南路619号', openedOn: '2021-01-16', weight: 4 },
  { code: 'BJ001', name: '北京朝阳望京店', regionCode: 'NORTH', city: '北京', district: '朝阳区', address: '北京市朝阳区阜通东大街6号', openedOn: '2014-03-29', weight: 13 },
  { code: 'BJ002', name: '北京海淀中关村店', regionCode: 'NORTH', city: '北京', district: '海淀区', address: '北京市海淀区中关村大街19号', openedOn: '2018-10-01', weight: 9 },
  { code: 'TJ001', name: '天津南开鞍山西道店', regionCode: 'NORTH', city: '天津', district: '南开区', address: '天津市南开区鞍山西道329号', openedOn: '2020-07-18', weight: 5 },
  { code: 'JN001', name: '济南历下泉城路店', regionCode: 'NORTH', city: '济南', district: '历下区', address: '济南市历下区泉城路180号', openedOn: '2022-04-23', weight: 3 },
]

export const demoRegions = (): DemoRegion[] => REGIONS.map((r) => ({ ...r }))

export const demoStores = (): DemoStore[] => STORES.map(({ weight: _weight, ...store }) => store)

// --- Staff ----------------------------------------------------------------------------------

// Demo-only passwords, printed in the README of the demo; none contains its username.
const ADMIN_PASSWORD = 'Hq#Patron2026'
const DEMO_PASSWORD = 'Demo#2026'

const STORE_ROLES = [
  { prefix: 'manager', role: 'store_manager', title: '店长' },
  { prefix: 'cashier', role: 'cashier', title: '收银员' },
  { prefix: 'service', role: 'service_agent', title: '客服专员' },
] as const

export const demoStaff = (): DemoStaff[] => [
  { username: 'admin', displayName: '系统管理员', role: 'hq_admin', storeCode: null, password: ADMIN_PASSWORD },
  { username: 'marketing', displayName: '总部市场部', role: 'hq_marketing', storeCode: null, password: DEMO_PASSWORD },
  { username: 'analyst', displayName: '数据分析师', role: 'analyst', storeCode: null, password: DEMO_PASSWORD },
  ...REGIONS.map((r) => ({ username: `region.${r.code.toLowerCase()}`, displayName: `区域经理（${r.name}）`, role: 'region_manager' as const, storeCode: null, regionCode: r.code, password: DEMO_PASSWORD })),
  ...STORES.flatMap((store) => STORE_ROLES.map(({ prefix, role, title }) => ({
    username: `${prefix}.${store.code.toLowerCase()}`,
    displayName: `${title}（${store.name}）`,
    role,
    storeCode: store.code,
    password: DEMO_PASSWORD,
  }))),
]

const cashierOf = (storeCode: string): string => `cashier.${storeCode.toLowerCase()}`

// --- Names ----------------------------------------------------------------------------------

// Weights roughly follow the surnames' share of the population (per mille).
const SURNAMES: Weighted<readonly [string, string]> = [
  [['王', 'wang'], 71], [['李', 'li'], 70], [['张', 'zhang'], 68], [['刘', 'liu'], 54], [['陈', 'chen'], 46],
  [['杨', 'yang'], 31], [['黄', 'huang'], 25], [['赵', 'zhao'], 23], [['吴', 'wu'], 21], [['周', 'zhou'], 21],
  [['徐', 'xu'], 13], [['孙', 'sun'], 13], [['马', 'ma'], 12], [['朱', 'zhu'], 12], [['胡', 'hu'], 11],
  [['郭', 'guo'], 11], [['何', 'he'], 10], [['林', 'lin'], 10], [['高', 'gao'], 10], [['罗', 'luo'], 9],
  [['郑', 'zheng'], 9], [['梁', 'liang'], 8], [['谢', 'xie'], 7], [['宋', 'song'], 6], [['唐', 'tang'], 6],
  [['许', 'xu'], 6], [['邓', 'deng'], 5], [['韩', 'han'], 5], [['冯', 'feng'], 5], [['曹', 'cao'], 5],
  [['彭', 'peng'], 5], [['曾', 'zeng'], 5], [['肖', 'xiao'], 5], [['田', 'tian'], 4], [['董', 'dong'], 4],
  [['潘', 'pan'], 4], [['袁', 'yuan'], 4], [['蔡', 'cai'], 4], [['蒋', 'jiang'], 4], [['余', 'yu'], 4],
  [['于', 'yu'], 4], [['杜', 'du'], 4], [['叶', 'ye'], 4], [['程', 'cheng'], 3], [['魏', 'wei'], 3],
  [['苏', 'su'], 3], [['吕', 'lv'], 3], [['丁', 'ding'], 3], [['任', 'ren'], 3], [['沈', 'shen'], 3],
  [['姚', 'yao'], 3], [['卢', 'lu'], 3], [['傅', 'fu'], 3], [['钟', 'zhong'], 3], [['姜', 'jiang'], 3],
  [['崔', 'cui'], 3], [['谭', 'tan'], 3], [['陆', 'lu'], 3], [['范', 'fan'], 2], [['汪', 'wang'], 2],
  [['廖', 'liao'], 2], [['石', 'shi'], 2], [['金', 'jin'], 2], [['贾', 'jia'], 2], [['夏', 'xia'], 2],
  [['方', 'fang'], 2], [['邹', 'zou'], 2], [['熊', 'xiong'], 2], [['白', 'bai'], 2], [['孟', 'meng'], 2],
  [['秦', 'qin'], 2], [['邱', 'qiu'], 2], [['侯', 'hou'], 2], [['江', 'jiang'], 2], [['薛', 'xue'], 2],
  [['顾', 'gu'], 1], [['毛', 'mao'], 1], [['龚', 'gong'], 1], [['邵', 'shao'], 1], [['钱', 'qian'], 1],
  [['严', 'yan'], 1], [['欧阳', 'ouyang'], 1], [['司马', 'sima'], 1], [['上官', 'shangguan'], 1],
]

const GIVEN_CHARS: Record<'male' | 'female', readonly (readonly [string, string])[]> = {
  male: [
    ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['勇', 'yong'], ['杰', 'jie'], ['涛', 'tao'],
    ['斌', 'bin'], ['超', 'chao'], ['明', 'ming'], ['刚', 'gang'], ['平', 'ping'], ['辉', 'hui'], ['鹏', 'peng'],
    ['华', 'hua'], ['飞', 'fei'], ['鑫', 'xin'], ['波', 'bo'], ['宇', 'yu'], ['浩', 'hao'], ['凯', 'kai'],
    ['健', 'jian'], ['俊', 'jun'], ['帆', 'fan'], ['旭', 'xu'], ['宁', 'ning'], ['龙', 'long'], ['林', 'lin'],
    ['阳', 'yang'], ['建', 'jian'], ['国', 'guo'], ['志', 'zhi'], ['文', 'wen'], ['海', 'hai'], ['东', 'dong'],
    ['亮', 'liang'], ['峰', 'feng'], ['成', 'cheng'], ['晨', 'chen'], ['轩', 'xuan'], ['睿', 'rui'], ['博', 'bo'],
    ['哲', 'zhe'], ['子', 'zi'], ['昊', 'hao'], ['然', 'ran'], ['泽', 'ze'], ['诚', 'cheng'], ['嘉', 'jia'],
    ['天', 'tian'], ['鸿', 'hong'], ['振', 'zhen'], ['永', 'yong'], ['庆', 'qing'], ['德', 'de'], ['立', 'li'],
    ['新', 'xin'], ['兵', 'bing'], ['毅', 'yi'], ['宏', 'hong'], ['晓', 'xiao'],
  ],
  female: [
    ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'], ['娟', 'juan'],
    ['霞', 'xia'], ['秀', 'xiu'], ['玲', 'ling'], ['桂', 'gui'], ['英', 'ying'], ['丹', 'dan'], ['萍', 'ping'],
    ['红', 'hong'], ['玉', 'yu'], ['兰', 'lan'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin'], ['莉', 'li'],
    ['慧', 'hui'], ['燕', 'yan'], ['倩', 'qian'], ['晶', 'jing'], ['颖', 'ying'], ['欣', 'xin'], ['怡', 'yi'],
    ['佳', 'jia'], ['悦', 'yue'], ['诗', 'shi'], ['涵', 'han'], ['雨', 'yu'], ['萱', 'xuan'], ['梦', 'meng'],
    ['思', 'si'], ['梓', 'zi'], ['可', 'ke'], ['心', 'xin'], ['妍', 'yan'], ['彤', 'tong'], ['晓', 'xiao'],
    ['月', 'yue'], ['琪', 'qi'], ['洁', 'jie'], ['蕾', 'lei'], ['璐', 'lu'], ['瑶', 'yao'], ['美', 'mei'],
    ['凤', 'feng'], ['梅', 'mei'], ['淑', 'shu'], ['珍', 'zhen'], ['云', 'yun'], ['文', 'wen'],
  ],
}

interface PersonName {
  name: string
  surnamePinyin: string
  givenPinyin: string
}

const personName = (faker: Faker, gender: 'male' | 'female'): PersonName => {
  const [surname, surnamePinyin] = pick(faker, SURNAMES)
  const chars = GIVEN_CHARS[gender]
  // Compound surnames take a one-character given name, so a full name stays 2–3 characters.
  const length = [...surname].length === 1 && chance(faker, 0.75) ? 2 : 1
  const given = Array.from({ length }, () => faker.helpers.arrayElement(chars))
  return {
    name: surname + given.map(([c]) => c).join(''),
    surnamePinyin,
    givenPinyin: given.map(([, p]) => p).join(''),
  }
}

// --- Dates ----------------------------------------------------------------------------------

const DAY_MS = 86_400_000

const dateOnly = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

const startOfUtcDay = (ms: number): number => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)

/** The same calendar day `years` earlier; 29 February falls back to the 28th. */
const yearsBefore = (dayMs: number, years: number): number => {
  const d = new Date(dayMs)
  const y = d.getUTCFullYear() - years
  const m = d.getUTCMonth()
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate())
  return Date.UTC(y, m, day)
}

// Shoppers in a loyalty programme: mostly 25–55, fewer students and over-65s.
const AGE_BANDS: Weighted<readonly [number, number]> = [
  [[18, 24], 6], [[25, 34], 22], [[35, 44], 25], [[45, 54], 21], [[55, 64], 15], [[65, 80], 11],
]

const birthdayForAge = (faker: Faker, today: number, age: number): string => {
  const latest = yearsBefore(today, age)
  const earliest = yearsBefore(today, age + 1) + DAY_MS
  return dateOnly(earliest + faker.number.int({ min: 0, max: (latest - earliest) / DAY_MS }) * DAY_MS)
}

// Local hour (UTC+8) of a registration: a morning peak and a bigger after-work one.
const REGISTRATION_HOURS: Weighted<number> = [
  [8, 1], [9, 3], [10, 6], [11, 6], [12, 4], [13, 3], [14, 4], [15, 5], [16, 6], [17, 8], [18, 9], [19, 8], [20, 6], [21, 3],
]

/** Registration time within the three years before `today` (and not before the store opened), denser towards today. */
const registrationTime = (faker: Faker, today: number, openedOn: string): string => {
  const first = Math.max(yearsBefore(today, 3), Date.parse(`${openedOn}T00:00:00Z`))
  const days = Math.max(1, (today - first) / DAY_MS)
  // Density grows linearly (1 + 2x) from the start of the window to today; x is its inverse CDF.
  const x = (Math.sqrt(1 + 8 * faker.number.float({ min: 0, max: 1 })) - 1) / 2
  const day = first + Math.min(days - 1, Math.floor(x * days)) * DAY_MS
  const hour = pick(faker, REGISTRATION_HOURS)
  const localMs = day + hour * 3_600_000 + faker.number.int({ min: 0, max: 3_599 }) * 1000
  return new Date(localMs - 8 * 3_600_000).toISOString()
}

// --- Profile --------------------------------------------------------------------------------

const occupationWeights = (age: number, gender: 'male' | 'female'): Weighted<Occupation> => {
  if (age <= 22) {
    return [['student', 55], ['service', 15], ['worker', 10], ['office_worker', 10], ['other', 10]]
  }
  if (age <= 29) {
    return [
      ['student', age <= 26 ? 6 : 0], ['office_worker', 35], ['professional', 15], ['service', 15], ['worker', 10],
      ['self_employed', 8], ['civil_servant', 5], ['homemaker', 3], ['other', 3],
    ]
  }
  if (age <= 49) {
    return [
      ['office_worker', 30], ['professional', 15], ['worker', 12], ['service', 12], ['self_employed', 12],
      ['civil_servant', 7], ['homemaker', 6], ['farmer', 2], ['other', 4],
    ]
  }
  if (age <= 59) {
    // Women in many jobs retire at 50 or 55, men at 60.
    return [
      ['office_worker', 18], ['worker', 16], ['self_employed', 14], ['service', 10], ['civil_servant', 6],
      ['professional', 8], ['homemaker', 10], ['farmer', 4], ['retired', gender === 'female' ? 35 : 5], ['other', 4],
    ]
  }
  return [['retired', 80], ['homemaker', 8], ['self_employed', 4], ['farmer', 3], ['other', 5]]
}

const EDUCATION_BY_OCCUPATION: Record<Exclude<Occupation, 'student'>, Weighted<Education>> = {
  office_worker: [['senior_high', 6], ['vocational', 10], ['college', 28], ['bachelor', 47], ['master', 8], ['doctorate', 1]],
  civil_servant: [['college', 18], ['bachelor', 60], ['master', 20], ['doctorate', 2]],
  professional: [['college', 8], ['bachelor', 55], ['master', 30], ['doctorate', 7]],
  worker: [['primary', 8], ['junior_high', 35], ['senior_high', 25], ['vocational', 25], ['college', 7]],
  self_employed: [['primary', 5], ['junior_high', 25], ['senior_high', 30], ['vocational', 10], ['college', 15], ['bachelor', 13], ['master', 2]],
  service: [['primary', 5], ['junior_high', 30], ['senior_high', 30], ['vocational', 20], ['college', 12], ['bachelor', 3]],
  farmer: [['primary', 40], ['junior_high', 45], ['senior_high', 12], ['vocational', 3]],
  retired: [['primary', 20], ['junior_high', 30], ['senior_high', 25], ['vocational', 8], ['college', 10], ['bachelor', 6], ['master', 1]],
  homemaker: [['primary', 15], ['junior_high', 35], ['senior_high', 25], ['vocational', 8], ['college', 10], ['bachelor', 7]],
  other: [['primary', 10], ['junior_high', 25], ['senior_high', 25], ['vocational', 15], ['college', 12], ['bachelor', 12], ['master', 1]],
}

const educationFor = (faker: Faker, occupation: Occupation, age: number): Education => {
  if (occupation === 'student') {
    return age <= 22
      ? pick(faker, [['senior_high', 25], ['vocational', 15], ['college', 20], ['bachelor', 40]])
      : pick(faker, [['bachelor', 40], ['master', 50], ['doctorate', 10]])
  }
  return pick(faker, EDUCATION_BY_OCCUPATION[occupation])
}

// Monthly income in CNY, in the order of INCOME_BANDS.
const INCOME_LADDER: readonly IncomeBand[] = ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus']

const INCOME_BASE: Record<Occupation, number> = {
  student: 0, farmer: 0, homemaker: 0,
  retired: 1, service: 1, worker: 1, other: 1,
  self_employed: 2, office_worker: 2, civil_servant: 2,
  professional: 3,
}

const EARNS_A_WAGE: ReadonlySet<Occupation> = new Set(['office_worker', 'civil_servant', 'professional', 'worker', 'self_employed', 'service', 'other'])

const incomeFor = (faker: Faker, occupation: Occupation, education: Education | null, tierOne: boolean): IncomeBand => {
  let step = INCOME_BASE[occupation]
  if (education === 'bachelor' || education === 'master') step += 1
  if (education === 'doctorate') step += 2
  if (tierOne && EARNS_A_WAGE.has(occupation)) step += 1
  step += pick(faker, [[-1, 20], [0, 50], [1, 25], [2, 5]])
  return INCOME_LADDER[Math.max(0, Math.min(INCOME_LADDER.length - 1, step))]!
}

// --- Identifiers ----------------------------------------------------------------------------

// Real mobile prefixes of the three carriers, commoner ones weighted up.
const PHONE_PREFIXES: Weighted<string> = [
  ['130', 3], ['131', 3], ['132', 3], ['133', 3], ['134', 3], ['135', 5], ['136', 5], ['137', 5], ['138', 6], ['139', 6],
  ['147', 1], ['150', 3], ['151', 3], ['152', 3], ['153', 2], ['155', 2], ['156', 2], ['157', 2], ['158', 3], ['159', 3],
  ['166', 1], ['177', 2], ['180', 2], ['181', 2], ['182', 2], ['183', 2], ['185', 2], ['186', 3], ['187', 2], ['188', 2],
  ['189', 3], ['191', 1], ['198', 1], ['199', 2],
]

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

const idCheckChar = (body17: string): string => {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (body17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11]!
}

const idNumberFor = (faker: Faker, areaCode: string, birthday: string, gender: 'male' | 'female'): string => {
  // The 17th digit is odd for men, even for women; 000 is never issued.
  const sequence = 2 * faker.number.int({ min: 1, max: 499 }) + (gender === 'male' ? 1 : 0)
  const body = `${areaCode}${birthday.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`
  return body + idCheckChar(body)
}

const emailFor = (faker: Faker, n: PersonName, birthday: string): string => {
  const { surnamePinyin: s, givenPinyin: g } = n
  const local = pick(faker, [
    [`${s}.${g}${faker.number.int({ min: 1, max: 99 })}`, 4],
    [`${g}${s}${birthday.slice(2, 4)}`, 3],
    [`${s}${g.charAt(0)}${birthday.slice(0, 4)}`, 2],
    [`${s}_${g}`, 1],
  ])
  return `${local}@${pick(faker, [['example.com', 7], ['example.cn', 3]])}`
}

const addressFor = (faker: Faker, city: string, district: District): string => {
  const street = faker.helpers.arrayElement(district.streets)
  const number = faker.number.int({ min: 1, max: 2000 })
  const room = `${faker.number.int({ min: 1, max: 28 })}0${faker.number.int({ min: 1, max: 4 })}`
  // Shanghai addresses name the lane (弄) and house; elsewhere a building (栋) and unit (单元).
  return city === '上海'
    ? `${city}市${district.name}${street}${number}弄${faker.number.int({ min: 1, max: 60 })}号${room}室`
    : `${city}市${district.name}${street}${number}号${faker.number.int({ min: 1, max: 30 })}栋${faker.number.int({ min: 1, max: 4 })}单元${room}室`
}

// --- Members --------------------------------------------------------------------------------

/**
 * Generates `count` members lazily; the same options always give the same members, and the
 * first members do not depend on `count`. Phones, ID numbers and emails are unique.
 */
export function* demoMembers(options: DemoMembersOptions): Generator<DemoMember> {
  const faker = new Faker({ locale: base })
  faker.seed(options.seed)
  const today = startOfUtcDay(Date.parse(options.referenceDate))
  if (Number.isNaN(today)) throw new Error(`demoMembers: not a date: ${options.referenceDate}`)

  const storeWeights = STORES
    .filter((s) => Date.parse(`${s.openedOn}T00:00:00Z`) < today)
    .map((s) => [s, s.weight] as const)
  if (storeWeights.length === 0) throw new Error('demoMembers: no store was open before the reference date')
  const phones = new Set<string>()
  const idNumbers = new Set<string>()
  const emails = new Set<string>()

  for (let i = 0; i < options.count; i++) {
    const store = pick(faker, storeWeights)
    const city = CITIES[store.city]!
    const homeDistrict = city.districts.find((d) => d.name === store.district)!
    // Most members live near their store; the rest elsewhere in the city.
    const district = chance(faker, 0.55) ? homeDistrict : faker.helpers.arrayElement(city.districts)

    const gender = chance(faker, 0.6) ? 'female' : 'male'
    const [minAge, maxAge] = pick(faker, AGE_BANDS)
    const age = faker.number.int({ min: minAge, max: maxAge })
    const birthday = birthdayForAge(faker, today, age)
    const name = personName(faker, gender)

    let phone: string
    do phone = pick(faker, PHONE_PREFIXES) + faker.string.numeric(8)
    while (phones.has(phone))
    phones.add(phone)

    let idNumber: string | null = null
    if (chance(faker, 0.3)) {
      do idNumber = idNumberFor(faker, district.areaCode, birthday, gender)
      while (idNumbers.has(idNumber))
      idNumbers.add(idNumber)
    }

    let email: string | null = null
    if (chance(faker, 0.25)) {
      email = emailFor(faker, name, birthday)
      while (emails.has(email)) email = email.replace('@', String(faker.number.int({ min: 0, max: 9 })) + '@')
      emails.add(email)
    }

    const occupation = pick(faker, occupationWeights(age, gender))
    const education = chance(faker, 0.1) ? null : educationFor(faker, occupation, age)
    const incomeBand = chance(faker, 0.15) ? null : incomeFor(faker, occupation, education, city.tierOne)
    const channel = pick(faker, [['till', 60], ['qr', 15], ['mini_program', 25]] as const)

    yield {
      phone,
      name: name.name,
      gender,
      birthday,
      idNumber,
      email,
      occupation,
      education,
      incomeBand,
      district: district.name,
      address: chance(faker, 0.6) ? addressFor(faker, city.name, district) : null,
      storeCode: store.code,
      channel,
      registeredAt: registrationTime(faker, today, store.openedOn),
      consents: {
        sms: chance(faker, 0.7),
        // A member who signed up in the WeChat mini program has already followed the account.
        wechat: chance(faker, channel === 'mini_program' ? 0.85 : 0.45),
        app_push: chance(faker, 0.35),
        // About 20% of all members: most of those who leave an email agree to mail.
        email: email !== null && chance(faker, 0.8),
        phone_call: chance(faker, 0.1),
      },
      registeredByUsername: cashierOf(store.code),
    }
  }
}
