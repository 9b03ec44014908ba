import { stringify } from 'csv-stringify/sync'
import { Readable } from 'node:stream'
import { findProductsBySkus } from '../modules/catalog/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { createRandom, type Random } from './demo-random.js'

// The demo chain's catalogue: about 3,000 SKUs in a supermarket's tree (department >
// category > subcategory), deterministic for a seed. Pure data and arithmetic; `seedDemoProducts`
// loads it through the catalogue's CSV import, like an HQ product file.

export interface DemoProduct {
  sku: string
  name: string
  /** EAN-13 with a Chinese (69) prefix; null for goods weighed in store */
  barcode: string | null
  department: string
  category: string
  subcategory: string
  brand: string | null
  /** fen; per kilogram when sold by weight */
  listPrice: number
  memberPrice: number | null
  pointsEligible: boolean
  soldByWeight: boolean
  /** how often it sells relative to the other products of its department */
  weight: number
  /** grams a shopper takes of goods sold by weight */
  grams: readonly [number, number] | null
}

/** [name, yuan for the first spec (or per kg), brand when the item has its own] */
type Item = readonly [string, number, string?]
/** [label, price relative to the first spec] */
type Spec = readonly [string, number]

interface SubcategoryDef {
  name: string
  count: number
  /** share of the department's sales */
  sales: number
  brands?: readonly string[]
  items: readonly Item[]
  specs?: readonly Spec[]
  /** sold by weight: grams per purchase */
  grams?: readonly [number, number]
  /** names that earn no points */
  noPoints?: RegExp
  /** regulated prices (tobacco): no brand or store variation */
  fixedPrice?: boolean
}

interface DepartmentDef {
  code: string
  name: string
  categories: ReadonlyArray<{ name: string; subcategories: readonly SubcategoryDef[] }>
}

// Tobacco earns no points (and may not be promoted); nor does first-stage infant formula, whose
// promotion China's rules on breast-milk substitutes forbid.
const DEPARTMENTS: readonly DepartmentDef[] = [
  {
    code: '10', name: '生鲜', categories: [
      { name: '水果', subcategories: [
        { name: '苹果梨', count: 8, sales: 6, grams: [600, 2500], items: [['红富士苹果', 12.8], ['阿克苏冰糖心苹果', 19.8], ['烟台栖霞苹果', 15.8], ['嘎啦苹果', 11.8], ['库尔勒香梨', 13.8], ['丰水梨', 10.8], ['雪花梨', 7.8], ['黄金梨', 12.8]] },
        { name: '柑橘', count: 8, sales: 6, grams: [500, 2500], items: [['砂糖橘', 9.8], ['沃柑', 13.8], ['赣南脐橙', 11.8], ['丑橘', 15.8], ['红心柚', 8.8], ['蜜柚', 6.8], ['柠檬', 12.8], ['耙耙柑', 14.8]] },
        { name: '时令水果', count: 16, sales: 9, grams: [400, 3000], items: [['香蕉', 6.8], ['巨峰葡萄', 15.8], ['阳光玫瑰葡萄', 39.8], ['草莓', 29.8], ['哈密瓜', 7.8], ['麒麟西瓜', 4.8], ['火龙果', 13.8], ['猕猴桃', 15.8], ['芒果', 17.8], ['榴莲', 59.8], ['山竹', 39.8], ['车厘子', 79.8], ['水蜜桃', 16.8], ['荔枝', 29.8], ['蓝莓', 69.8], ['冬枣', 19.8]] },
        { name: '盒装水果', count: 14, sales: 3, brands: ['佳沛', '都乐', '怡颗莓', '百果园'], items: [['阳光金果 6粒装', 39.9], ['蓝莓 125g', 19.9], ['果切拼盘 350g', 19.9], ['香蕉 1.2kg', 16.9], ['牛油果 4粒装', 29.9]] },
      ] },
      { name: '蔬菜', subcategories: [
        { name: '叶菜', count: 12, sales: 8, grams: [250, 1200], items: [['上海青', 5.8], ['菠菜', 7.8], ['生菜', 6.8], ['大白菜', 2.8], ['油麦菜', 6.8], ['空心菜', 7.8], ['芹菜', 5.8], ['韭菜', 7.8], ['西兰花', 9.8], ['菜心', 8.8], ['娃娃菜', 7.8], ['香菜', 15.8]] },
        { name: '根茎瓜果', count: 16, sales: 9, grams: [300, 2000], items: [['土豆', 3.6], ['胡萝卜', 4.2], ['白萝卜', 2.8], ['番茄', 7.8], ['黄瓜', 6.8], ['茄子', 6.8], ['青椒', 7.8], ['洋葱', 3.8], ['大蒜', 11.8], ['生姜', 13.8], ['山药', 11.8], ['南瓜', 3.8], ['莲藕', 9.8], ['冬瓜', 2.6], ['玉米', 5.8], ['西葫芦', 5.8]] },
        { name: '菌菇', count: 6, sales: 3, grams: [200, 800], items: [['鲜香菇', 19.8], ['平菇', 9.8], ['杏鲍菇', 13.8], ['金针菇', 11.8], ['蟹味菇', 17.8], ['白玉菇', 17.8]] },
        { name: '豆制品', count: 15, sales: 3, brands: ['清美', '祖名', '白玉'], items: [['北豆腐 400g', 3.5], ['内酯豆腐 350g', 3.0], ['五香豆干 200g', 5.9], ['千张 250g', 6.9], ['腐竹 200g', 12.9]] },
      ] },
      { name: '肉禽蛋', subcategories: [
        { name: '猪肉', count: 20, sales: 9, grams: [300, 1500], brands: ['', '双汇', '金锣', '雨润'], items: [['猪五花肉', 32.8], ['猪里脊', 36.8], ['前腿肉', 29.8], ['猪小排', 49.8], ['筒骨', 22.8], ['猪蹄', 32.8]] },
        { name: '牛羊肉', count: 16, sales: 4, grams: [250, 1200], brands: ['', '科尔沁', '恒都', '大庄园'], items: [['牛腩', 79.8], ['牛腱子', 89.8], ['牛里脊', 109.8], ['羊排', 89.8], ['羊肉片', 69.8]] },
        { name: '禽类', count: 16, sales: 5, grams: [300, 1500], brands: ['', '圣农', '正大', '凤祥'], items: [['鸡胸肉', 19.8], ['鸡翅中', 49.8], ['琵琶腿', 21.8], ['三黄鸡', 25.8], ['鸭腿', 19.8]] },
        { name: '蛋品', count: 24, sales: 6, brands: ['德青源', '圣迪乐村', '黄天鹅', '正大', '咯咯哒'], items: [['鲜鸡蛋', 12.9], ['土鸡蛋', 19.9], ['可生食鸡蛋', 29.9], ['咸鸭蛋', 16.9]], specs: [['10枚', 1], ['20枚', 1.8]] },
      ] },
      { name: '水产', subcategories: [
        { name: '鲜活水产', count: 10, sales: 4, grams: [300, 1500], items: [['鲈鱼', 39.8], ['草鱼', 19.8], ['鲫鱼', 23.8], ['黄鱼', 45.8], ['基围虾', 79.8], ['花甲', 19.8], ['鲍鱼', 99.8], ['大闸蟹', 119.8], ['带鱼', 49.8], ['鱿鱼', 39.8]] },
        { name: '冷冻水产', count: 20, sales: 3, brands: ['獐子岛', '国联', '三都港', '海天下'], items: [['冻虾仁 250g', 29.9], ['巴沙鱼柳 400g', 19.9], ['三文鱼块 200g', 49.9], ['鱿鱼圈 300g', 25.9], ['黄花鱼 500g', 32.9]] },
      ] },
      { name: '熟食烘焙', subcategories: [
        { name: '面包蛋糕', count: 30, sales: 5, brands: ['桃李', '曼可顿', '宾堡', '达利园', '好丽友'], items: [['吐司面包', 9.9], ['全麦面包', 12.9], ['手撕面包', 13.9], ['蛋黄派', 16.9], ['纸杯蛋糕', 12.9], ['法式小面包', 15.9]] },
        { name: '面点熟食', count: 10, sales: 4, grams: [200, 800], items: [['卤牛肉', 89.8], ['盐水鸭', 39.8], ['叉烧', 59.8], ['酱鸭', 45.8], ['凉拌菜', 25.8], ['馒头', 8.0], ['花卷', 8.0], ['肉包', 16.0], ['烧麦', 20.0], ['油条', 12.0]] },
      ] },
    ],
  },
  {
    code: '20', name: '粮油副食', categories: [
      { name: '米面杂粮', subcategories: [
        { name: '大米', count: 60, sales: 6, brands: ['福临门', '金龙鱼', '十月稻田', '香满园', '太粮', '柴火大院'], items: [['五常大米', 79.9], ['东北大米', 49.9], ['长粒香米', 55.9], ['泰国香米', 69.9], ['丝苗米', 52.9]], specs: [['5kg', 1], ['10kg', 1.9], ['2.5kg', 0.55]] },
        { name: '面粉面条', count: 56, sales: 4, brands: ['五得利', '香雪', '金龙鱼', '陈克明', '想念', '今麦郎'], items: [['高筋小麦粉', 16.9], ['中筋面粉', 14.9], ['鸡蛋挂面', 9.9], ['龙须面', 7.9], ['刀削面', 8.9], ['荞麦面', 11.9]], specs: [['1kg', 1], ['2.5kg', 2.2]] },
        { name: '杂粮', count: 40, sales: 2, brands: ['十月稻田', '燕之坊', '金龙鱼', '北大荒'], items: [['小米', 12.9], ['红豆', 13.9], ['绿豆', 11.9], ['黑米', 14.9], ['燕麦米', 15.9], ['糙米', 12.9]], specs: [['1kg', 1], ['500g', 0.55]] },
      ] },
      { name: '食用油', subcategories: [
        { name: '食用油', count: 100, sales: 5, brands: ['鲁花', '金龙鱼', '福临门', '多力', '胡姬花', '长寿花'], items: [['5S压榨一级花生油', 159.9], ['黄金比例调和油', 69.9], ['玉米油', 79.9], ['葵花籽油', 89.9], ['菜籽油', 69.9], ['稻米油', 89.9]], specs: [['5L', 1], ['1.8L', 0.42], ['900ml', 0.23]] },
        { name: '特色油', count: 20, sales: 1, brands: ['欧丽薇兰', '贝蒂斯', '鲁花', '金龙鱼'], items: [['特级初榨橄榄油', 89.9], ['芝麻香油', 29.9], ['亚麻籽油', 59.9]], specs: [['500ml', 1], ['1L', 1.85]] },
      ] },
      { name: '调味品', subcategories: [
        { name: '酱油醋', count: 84, sales: 5, brands: ['海天', '李锦记', '千禾', '厨邦', '欣和', '恒顺', '保宁'], items: [['金标生抽', 9.9], ['老抽王', 10.9], ['味极鲜酱油', 12.9], ['零添加酱油', 19.9], ['香醋', 8.9], ['陈醋', 9.9]], specs: [['500ml', 1], ['1.28L', 2.2]] },
        { name: '调味料', count: 70, sales: 4, brands: ['海天', '李锦记', '太太乐', '王守义', '老干妈', '加加', '莲花'], items: [['蚝油', 12.9], ['鸡精', 11.9], ['味精', 6.9], ['十三香', 4.9], ['料酒', 8.9], ['风味豆豉', 11.9], ['辣椒酱', 9.9], ['黄豆酱', 7.9], ['白砂糖', 7.9], ['食用盐', 3.5]] },
        { name: '火锅调料', count: 20, sales: 1, brands: ['海底捞', '小肥羊', '德庄', '桥头', '大红袍'], items: [['牛油火锅底料', 16.9], ['番茄火锅底料', 12.9], ['清汤火锅底料', 10.9], ['麻酱蘸料', 8.9]] },
      ] },
      { name: '方便速食', subcategories: [
        { name: '方便面', count: 72, sales: 6, brands: ['康师傅', '统一', '今麦郎', '白象', '日清', '农心'], items: [['红烧牛肉面', 4.5], ['老坛酸菜牛肉面', 4.5], ['香辣牛肉面', 4.5], ['鲜虾鱼板面', 4.5], ['葱香排骨面', 4.5], ['辛拉面', 6.5]], specs: [['桶装', 1], ['五连包', 3.1]] },
        { name: '速冻食品', count: 40, sales: 5, brands: ['思念', '三全', '湾仔码头', '安井', '必品阁'], items: [['猪肉白菜水饺 1kg', 25.9], ['三鲜水饺 1kg', 29.9], ['黑芝麻汤圆 500g', 12.9], ['手抓饼 10片', 19.9], ['鱼丸 500g', 15.9], ['虾饺 400g', 32.9], ['小笼包 600g', 24.9], ['甜玉米 4根', 13.9]] },
        { name: '自热速食', count: 25, sales: 2, brands: ['自嗨锅', '海底捞', '莫小仙', '好欢螺', '李子柒'], items: [['麻辣牛肉自热火锅', 29.9], ['自热煲仔饭', 19.9], ['螺蛳粉 300g', 13.9], ['酸辣粉', 9.9], ['重庆小面', 8.9]] },
      ] },
      { name: '南北干货', subcategories: [
        { name: '干货', count: 30, sales: 2, brands: ['', '燕之坊', '十月稻田', '宁安堡', '楼兰蜜语'], items: [['红枣 500g', 24.9], ['黑木耳 200g', 29.9], ['干香菇 200g', 26.9], ['枸杞 250g', 29.9], ['银耳 100g', 15.9], ['桂圆干 500g', 32.9]] },
      ] },
      { name: '冲调早餐', subcategories: [
        { name: '冲调', count: 49, sales: 3, brands: ['南方', '西麦', '桂格', '雀巢', '冠生园', '维维', '立顿'], items: [['黑芝麻糊', 19.9], ['纯燕麦片', 22.9], ['即食燕麦片', 19.9], ['水果麦片', 25.9], ['蜂蜜', 39.9], ['豆奶粉', 29.9], ['奶茶', 16.9]] },
      ] },
    ],
  },
  {
    code: '30', name: '休闲食品', categories: [
      { name: '饼干糕点', subcategories: [
        { name: '饼干', count: 96, sales: 5, brands: ['奥利奥', '趣多多', '达能', '嘉士利', '康师傅', '亿滋', '好吃点', '江中'], items: [['夹心饼干', 9.9], ['曲奇饼干', 13.9], ['苏打饼干', 8.9], ['消化饼干', 11.9], ['威化饼干', 9.9], ['猴头菇饼干', 39.9]], specs: [['小包', 1], ['家庭装', 2.6]] },
        { name: '糕点', count: 72, sales: 4, brands: ['达利园', '好丽友', '徐福记', '盼盼', '稻香村', '三只松鼠'], items: [['派', 14.9], ['软面包', 12.9], ['沙琪玛', 15.9], ['铜锣烧', 16.9], ['蛋黄酥', 29.9], ['绿豆糕', 19.9]], specs: [['盒装', 1], ['散称 500g', 1.4]] },
      ] },
      { name: '坚果炒货', subcategories: [
        { name: '坚果', count: 96, sales: 4, brands: ['三只松鼠', '良品铺子', '百草味', '洽洽', '沃隆', '来伊份'], items: [['每日坚果', 129], ['夏威夷果', 29.9], ['碧根果', 32.9], ['开心果', 35.9], ['巴旦木', 29.9], ['腰果', 36.9], ['焦糖瓜子', 9.9], ['原味瓜子', 8.9]], specs: [['袋装', 1], ['礼盒', 2.4]] },
      ] },
      { name: '糖果巧克力', subcategories: [
        { name: '糖果', count: 60, sales: 3, brands: ['大白兔', '徐福记', '阿尔卑斯', '不二家', '金丝猴', '旺仔'], items: [['奶糖', 15.9], ['水果硬糖', 12.9], ['软糖', 9.9], ['棒棒糖', 11.9], ['什锦糖', 19.9], ['牛轧糖', 22.9]], specs: [['袋装', 1], ['罐装', 2.1]] },
        { name: '巧克力', count: 50, sales: 3, brands: ['德芙', '费列罗', '士力架', '好时', '金帝', '瑞士莲'], items: [['丝滑牛奶巧克力', 19.9], ['榛果巧克力', 39.9], ['黑巧克力', 24.9], ['巧克力礼盒', 89.9], ['花生夹心巧克力', 16.9]], specs: [['', 1], ['分享装', 2.2]] },
      ] },
      { name: '膨化食品', subcategories: [
        { name: '薯片膨化', count: 98, sales: 6, brands: ['乐事', '可比克', '上好佳', '旺旺', '品客', '咪咪', '好丽友'], items: [['原味薯片', 8.9], ['黄瓜味薯片', 8.9], ['番茄味薯片', 8.9], ['烧烤味薯片', 8.9], ['鲜虾片', 6.9], ['雪饼', 12.9], ['玉米棒', 7.9]], specs: [['', 1], ['大包装', 1.9]] },
      ] },
      { name: '肉干果脯', subcategories: [
        { name: '辣条卤味', count: 60, sales: 4, brands: ['卫龙', '周黑鸭', '绝味', '有友', '盐津铺子', '劲仔'], items: [['大面筋', 5.9], ['卤鸭脖', 29.9], ['泡椒凤爪', 12.9], ['麻辣小鱼仔', 9.9], ['鹌鹑蛋', 12.9], ['香辣豆干', 8.9]], specs: [['', 1], ['量贩装', 2.5]] },
        { name: '果脯蜜饯', count: 40, sales: 2, brands: ['溜溜梅', '百草味', '良品铺子', '三只松鼠', '华味亨'], items: [['青梅', 12.9], ['芒果干', 19.9], ['草莓干', 22.9], ['话梅', 9.9], ['葡萄干', 13.9], ['山楂条', 9.9]], specs: [['', 1], ['量贩装', 2.3]] },
        { name: '肉干', count: 30, sales: 2, brands: ['科尔沁', '棒棒娃', '良品铺子', '三只松鼠'], items: [['风干牛肉干', 49.9], ['猪肉脯', 29.9], ['麻辣牛肉粒', 35.9], ['香辣鸭脖', 19.9], ['鱿鱼丝', 16.9]], specs: [['', 1], ['礼盒', 2.5]] },
      ] },
    ],
  },
  {
    code: '40', name: '酒水饮料', categories: [
      { name: '饮用水', subcategories: [
        { name: '饮用水', count: 70, sales: 6, brands: ['农夫山泉', '怡宝', '百岁山', '娃哈哈', '康师傅', '景田'], items: [['饮用天然水', 2.0], ['纯净水', 2.0], ['天然矿泉水', 3.0]], specs: [['550ml', 1], ['1.5L', 2.1], ['550ml×24瓶', 19.5], ['5L', 4.2]] },
      ] },
      { name: '碳酸饮料', subcategories: [
        { name: '汽水', count: 110, sales: 5, brands: ['可口可乐', '百事可乐', '雪碧', '芬达', '元气森林', '美年达', '北冰洋'], items: [['经典', 3.0], ['无糖', 3.0], ['柠檬味', 3.2], ['白桃味', 3.5]], specs: [['330ml', 1], ['500ml', 1.2], ['2L', 2.5], ['330ml×24罐', 17]] },
      ] },
      { name: '茶饮果汁', subcategories: [
        { name: '茶饮料', count: 56, sales: 5, brands: ['康师傅', '统一', '农夫山泉', '三得利', '元气森林', '维他'], items: [['冰红茶', 3.0], ['绿茶', 3.0], ['乌龙茶', 4.5], ['茉莉花茶', 3.5], ['柠檬茶', 4.0]], specs: [['500ml', 1], ['1L', 1.6]] },
        { name: '果汁', count: 46, sales: 3, brands: ['汇源', '农夫果园', '美汁源', '味全', '零度果坊'], items: [['100%橙汁', 13.9], ['苹果汁', 11.9], ['果粒橙', 4.5], ['桃汁', 11.9], ['NFC橙汁', 19.9]], specs: [['1L', 1], ['300ml', 0.35]] },
      ] },
      { name: '乳品', subcategories: [
        { name: '牛奶', count: 80, sales: 8, brands: ['伊利', '蒙牛', '光明', '君乐宝', '三元', '特仑苏', '金典'], items: [['纯牛奶', 65.9], ['低脂牛奶', 69.9], ['有机纯牛奶', 79.9], ['高钙牛奶', 59.9]], specs: [['250ml×24盒', 1], ['250ml×12盒', 0.55], ['1L', 0.22]] },
        { name: '酸奶', count: 84, sales: 6, brands: ['安慕希', '纯甄', '简爱', '光明', '君乐宝', '卡士', '伊利'], items: [['原味酸奶', 4.5], ['草莓味酸奶', 4.5], ['无蔗糖酸奶', 5.5], ['希腊酸奶', 6.5]], specs: [['200g', 1], ['200g×10', 9], ['1kg', 3.6]] },
      ] },
      { name: '咖啡功能', subcategories: [
        { name: '咖啡功能饮料', count: 50, sales: 3, brands: ['雀巢', '红牛', '东鹏特饮', '脉动', '外星人', '魔爪', '星巴克'], items: [['能量饮料', 6.0], ['维生素饮料', 5.0], ['即饮咖啡', 8.0], ['电解质水', 5.5]], specs: [['单瓶', 1], ['6瓶装', 5.5]] },
      ] },
      { name: '啤酒', subcategories: [
        { name: '啤酒', count: 56, sales: 5, brands: ['青岛', '雪花', '百威', '哈尔滨', '燕京', '乐堡', '1664'], items: [['经典啤酒', 5.0], ['纯生啤酒', 6.5], ['精酿白啤', 9.9], ['淡爽啤酒', 4.0]], specs: [['500ml', 1], ['500ml×12罐', 11]] },
      ] },
    ],
  },
  {
    code: '50', name: '烟酒', categories: [
      { name: '白酒', subcategories: [
        { name: '白酒', count: 36, sales: 4, items: [
          ['飞天 53度', 1499, '茅台'], ['王子酒 53度', 269, '茅台'], ['普五 52度', 1099, '五粮液'], ['尖庄 50度', 69, '五粮液'],
          ['特曲 52度', 339, '泸州老窖'], ['头曲 52度', 79, '泸州老窖'], ['海之蓝 52度', 149, '洋河'], ['天之蓝 52度', 329, '洋河'],
          ['青花20 53度', 469, '汾酒'], ['黄盖玻汾 53度', 55, '汾酒'], ['水晶剑 52度', 439, '剑南春'], ['红花郎15 53度', 469, '郎酒'],
          ['小郎酒 45度', 25, '郎酒'], ['陈酿 42度', 15, '牛栏山'], ['二锅头 56度', 19, '红星'], ['年份原浆古5', 159, '古井贡'],
          ['绿瓶 55度', 59, '西凤酒'], ['品味舍得 52度', 469, '舍得'],
        ], specs: [['500ml', 1], ['100ml', 0.26]] },
      ] },
      { name: '葡萄酒黄酒', subcategories: [
        { name: '葡萄酒', count: 20, sales: 1, brands: ['张裕', '长城', '奔富', '拉菲传奇', '黄尾袋鼠'], items: [['干红葡萄酒', 59], ['赤霞珠干红', 129], ['干白葡萄酒', 69], ['起泡酒', 79]], specs: [['750ml', 1]] },
        { name: '黄酒', count: 30, sales: 1, brands: ['古越龙山', '塔牌', '会稽山', '石库门'], items: [['五年陈花雕', 39.9], ['八年陈花雕', 69.9], ['清醇三年', 19.9], ['手工冬酿', 49.9]], specs: [['500ml', 1], ['2.5L坛装', 3.8]] },
      ] },
      { name: '香烟', subcategories: [
        { name: '卷烟', count: 48, sales: 6, noPoints: /./, fixedPrice: true, items: [
          ['硬', 45, '中华'], ['软', 65, '中华'], ['软', 23, '玉溪'], ['硬和谐', 50, '玉溪'], ['紫', 11, '云烟'], ['印象', 40, '云烟'],
          ['软蓝', 19, '黄鹤楼'], ['1916', 100, '黄鹤楼'], ['硬', 25, '芙蓉王'], ['新版', 15, '利群'], ['阳光', 25, '利群'],
          ['炫赫门', 18, '南京'], ['红', 12, '南京'], ['经典', 10, '红塔山'], ['五星红杉树', 45, '苏烟'], ['天叶', 100, '黄金叶'],
          ['硬经典', 8, '双喜'], ['和天下', 100, '白沙'], ['红', 15, '七匹狼'], ['上海', 10, '红双喜'], ['软', 13, '牡丹'],
          ['荷花', 35, '钻石'], ['宽窄', 20, '娇子'], ['777', 18, '长白山'],
        ], specs: [['包', 1], ['条', 10]] },
      ] },
    ],
  },
  {
    code: '60', name: '日化清洁', categories: [
      { name: '洗发护发', subcategories: [
        { name: '洗发护发', count: 80, sales: 4, brands: ['海飞丝', '潘婷', '飘柔', '清扬', '沙宣', '阿道夫', '霸王', '滋源'], items: [['去屑洗发露', 59.9], ['丝质顺滑洗发露', 49.9], ['控油洗发水', 55.9], ['护发素', 45.9], ['修护发膜', 39.9]], specs: [['400ml', 1], ['750ml', 1.6]] },
      ] },
      { name: '身体口腔', subcategories: [
        { name: '沐浴洗手', count: 40, sales: 3, brands: ['舒肤佳', '六神', '力士', '多芬', '玉兰油'], items: [['沐浴露', 39.9], ['香皂', 5.9], ['洗手液', 19.9], ['花露水', 12.9]], specs: [['', 1], ['家庭装', 1.8]] },
        { name: '口腔护理', count: 60, sales: 3, brands: ['佳洁士', '高露洁', '云南白药', '黑人', '舒适达', '冷酸灵'], items: [['美白牙膏', 15.9], ['防蛀牙膏', 12.9], ['牙龈护理牙膏', 29.9], ['软毛牙刷', 9.9], ['漱口水', 25.9]], specs: [['', 1], ['三支装', 2.6]] },
      ] },
      { name: '衣物清洁', subcategories: [
        { name: '洗衣用品', count: 70, sales: 4, brands: ['蓝月亮', '立白', '奥妙', '汰渍', '超能', '雕牌'], items: [['深层洁净洗衣液', 49.9], ['洗衣凝珠', 39.9], ['洗衣粉', 25.9], ['内衣专用洗衣液', 29.9], ['衣物柔顺剂', 29.9], ['洗衣皂', 9.9]], specs: [['', 1], ['补充装', 0.7]] },
      ] },
      { name: '家庭清洁', subcategories: [
        { name: '清洁剂', count: 60, sales: 3, brands: ['威猛先生', '滴露', '蓝月亮', '立白', '妙洁', '巧手'], items: [['洗洁精', 12.9], ['厨房重油污净', 19.9], ['洁厕液', 15.9], ['消毒液', 39.9], ['地板清洁剂', 25.9], ['玻璃清洁剂', 16.9]], specs: [['', 1], ['两瓶装', 1.8]] },
      ] },
      { name: '纸品湿巾', subcategories: [
        { name: '纸品', count: 36, sales: 5, brands: ['维达', '心相印', '清风', '洁柔', '舒洁', '得宝'], items: [['抽纸 3层100抽×24包', 49.9], ['卷纸 4层×27卷', 59.9], ['手帕纸 ×18包', 12.9], ['湿巾 80片', 12.9], ['厨房纸巾', 15.9], ['面巾纸 ×6包', 25.9]] },
      ] },
      { name: '个人护理', subcategories: [
        { name: '护肤', count: 30, sales: 2, brands: ['大宝', '百雀羚', '自然堂', '相宜本草', '郁美净', '隆力奇'], items: [['保湿面霜', 39.9], ['洗面奶', 29.9], ['护手霜', 12.9], ['爽肤水', 49.9], ['润唇膏', 15.9]] },
        { name: '女性护理', count: 40, sales: 2, brands: ['苏菲', '护舒宝', '七度空间', '高洁丝', 'ABC'], items: [['日用卫生巾', 15.9], ['夜用卫生巾', 19.9], ['护垫', 12.9], ['安心裤', 25.9], ['棉柔卫生巾', 17.9]], specs: [['', 1], ['量贩装', 2.2]] },
      ] },
    ],
  },
  {
    code: '70', name: '母婴', categories: [
      { name: '奶粉', subcategories: [
        { name: '婴幼儿奶粉', count: 60, sales: 3, noPoints: /1段/, brands: ['飞鹤', '金领冠', '君乐宝', '美赞臣', '启赋', '爱他美', 'a2', '合生元'], items: [['婴儿配方奶粉', 268], ['有机婴儿配方奶粉', 358]], specs: [['1段 800g', 1], ['2段 800g', 0.96], ['3段 800g', 0.9], ['3段 400g', 0.5]] },
        { name: '儿童奶粉', count: 8, sales: 1, brands: ['伊利', '飞鹤', '雀巢', '美赞臣'], items: [['儿童成长奶粉 4段', 198], ['学生高钙奶粉', 69]] },
      ] },
      { name: '纸尿裤', subcategories: [
        { name: '纸尿裤', count: 50, sales: 3, brands: ['帮宝适', '花王', '好奇', '大王', 'babycare', '尤妮佳'], items: [['纸尿裤', 139], ['拉拉裤', 149]], specs: [['NB码', 1], ['S码', 1], ['M码', 1], ['L码', 1], ['XL码', 1.05]] },
      ] },
      { name: '辅食喂养', subcategories: [
        { name: '辅食', count: 25, sales: 4, brands: ['亨氏', '嘉宝', '小皮', '英氏', '贝因美'], items: [['高铁米粉', 39.9], ['果泥', 12.9], ['磨牙棒', 19.9], ['婴儿面条', 22.9], ['儿童肉松', 35.9]] },
        { name: '喂养用品', count: 20, sales: 2, brands: ['贝亲', 'NUK', '可优比', '世喜'], items: [['宽口径奶瓶', 109], ['奶嘴', 39], ['吸管杯', 89], ['辅食碗', 49], ['奶瓶清洗剂', 39]] },
      ] },
      { name: '婴童洗护', subcategories: [
        { name: '婴童洗护', count: 25, sales: 4, brands: ['强生', '启初', '红色小象', '青蛙王子', '贝亲'], items: [['婴儿洗发沐浴露', 39.9], ['婴儿润肤乳', 45.9], ['婴儿湿巾 80抽×6包', 49.9], ['婴儿洗衣液', 35.9], ['护臀膏', 29.9]] },
      ] },
    ],
  },
  {
    code: '80', name: '家居', categories: [
      { name: '厨具餐具', subcategories: [
        { name: '锅具刀具', count: 20, sales: 2, brands: ['苏泊尔', '爱仕达', '双立人', '炊大皇'], items: [['不粘炒锅 30cm', 199], ['汤锅 24cm', 159], ['平底煎锅 28cm', 129], ['高压锅 22cm', 299], ['中式菜刀', 99]] },
        { name: '餐具保鲜', count: 36, sales: 3, brands: ['乐扣乐扣', '茶花', '康宁', '特百惠', '美丽雅', '妙洁'], items: [['保鲜盒 3件套', 59.9], ['陶瓷碗 4只装', 39.9], ['筷子 10双', 19.9], ['保鲜膜 100m', 15.9], ['垃圾袋 100只', 12.9], ['一次性纸杯 50只', 9.9]] },
      ] },
      { name: '家纺收纳', subcategories: [
        { name: '毛巾家纺', count: 25, sales: 2, brands: ['洁丽雅', '金号', '富安娜', '罗莱', '水星'], items: [['纯棉毛巾', 19.9], ['纯棉浴巾', 59.9], ['床品四件套', 299], ['枕芯', 99], ['夏凉被', 199]] },
        { name: '收纳整理', count: 12, sales: 1, brands: ['茶花', '禧天龙', '太力'], items: [['收纳箱', 49.9], ['衣架 10只', 19.9], ['真空压缩袋', 39.9], ['抽屉式收纳柜', 129]] },
      ] },
      { name: '日用百货', subcategories: [
        { name: '电池灯具', count: 20, sales: 2, brands: ['南孚', '公牛', '欧普', '飞利浦'], items: [['5号电池 8粒', 24.9], ['插线板', 59.9], ['LED灯泡', 19.9], ['7号电池 8粒', 24.9], ['手电筒', 39.9]] },
      ] },
    ],
  },
  {
    code: '90', name: '家电', categories: [
      { name: '厨房电器', subcategories: [
        { name: '厨房小电', count: 42, sales: 3, brands: ['美的', '九阳', '苏泊尔', '小熊', '格兰仕', '摩飞'], items: [['电饭煲 4L', 299], ['电水壶 1.7L', 99], ['豆浆机', 399], ['空气炸锅', 349], ['微波炉', 499], ['破壁料理机', 599], ['电火锅', 199]] },
      ] },
      { name: '生活电器', subcategories: [
        { name: '生活电器', count: 20, sales: 1, brands: ['美的', '格力', '艾美特', '先锋'], items: [['落地扇', 199], ['取暖器', 299], ['加湿器', 159], ['电热毯', 129], ['吸尘器', 499]] },
      ] },
      { name: '个护电器', subcategories: [
        { name: '个护电器', count: 16, sales: 1, brands: ['飞利浦', '飞科', '松下', '欧乐B'], items: [['电动剃须刀', 199], ['电吹风', 149], ['电动牙刷', 199], ['理发器', 99]] },
      ] },
    ],
  },
]

export const DEMO_DEPARTMENTS: readonly string[] = DEPARTMENTS.map((d) => d.name)

/** EAN-13 check digit of 12 digits: weights 1 and 3 alternating from the left. */
export const ean13CheckDigit = (body12: string): string => {
  let sum = 0
  for (let i = 0; i < 12; i++) sum += (body12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3)
  return String((10 - (sum % 10)) % 10)
}

/** Shelf prices as Chinese supermarkets write them: ¥4.5, ¥12.9, ¥199. */
const shelfPrice = (yuan: number): number => {
  if (yuan < 10) return Math.max(10, Math.round(yuan * 10) * 10)
  if (yuan < 100) return Math.floor(yuan) * 100 + 90
  return Math.max(100, Math.round(yuan) - (Math.round(yuan) % 10 === 0 ? 1 : 0)) * 100
}

/** A price per kilogram, to the jiao. */
const weighedPrice = (yuan: number): number => Math.max(100, Math.round(yuan * 10) * 10)

const nameOf = (brand: string, item: string, spec: string): string => [brand, item, spec].filter((s) => s !== '').join(' ')

/** Every brand × item × spec of a subcategory, in a shuffled but seed-stable order. */
const combinations = (sub: SubcategoryDef, random: Random): Array<{ brand: string; item: Item; spec: Spec }> => {
  const specs = sub.specs ?? [['', 1] as const]
  const out: Array<{ brand: string; item: Item; spec: Spec }> = []
  for (const item of sub.items) {
    for (const brand of item[2] !== undefined ? [item[2]] : sub.brands ?? ['']) {
      for (const spec of specs) out.push({ brand, item, spec })
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * The demo catalogue for a seed. SKUs are the department code, the category's number and a
 * sequence (e.g. 20030012); the same seed always gives the same products and prices.
 */
export const demoProducts = (options: { seed: number }): DemoProduct[] => {
  const random = createRandom('demo-products', options.seed)
  // A brand keeps its price level and its GS1 company prefix across the catalogue.
  const brandLevel = new Map<string, number>()
  const brandPrefix = new Map<string, string>()
  const usedPrefixes = new Set<string>()
  const nextItemRef = new Map<string, number>()
  const barcodeFor = (brand: string): string => {
    let prefix = brandPrefix.get(brand)
    if (prefix === undefined) {
      do prefix = `69${String(random.int(0, 99_999)).padStart(5, '0')}`
      while (usedPrefixes.has(prefix))
      usedPrefixes.add(prefix)
      brandPrefix.set(brand, prefix)
    }
    const ref = (nextItemRef.get(brand) ?? random.int(100, 2000)) + 1
    nextItemRef.set(brand, ref)
    const body = `${prefix}${String(ref).padStart(5, '0')}`
    return body + ean13CheckDigit(body)
  }
  const levelOf = (brand: string): number => {
    let level = brandLevel.get(brand)
    if (level === undefined) {
      level = brand === '' ? 1 : Math.exp(createRandom('brand', brand).normal() * 0.12)
      brandLevel.set(brand, level)
    }
    return level
  }

  const products: DemoProduct[] = []
  for (const dept of DEPARTMENTS) {
    dept.categories.forEach((cat, c) => {
      let seq = 0
      for (const sub of cat.subcategories) {
        const chosen = combinations(sub, random).slice(0, sub.count)
        const typical = [...chosen.map((x) => x.item[1] * x.spec[1])].sort((a, b) => a - b)[Math.floor(chosen.length / 2)]!
        chosen.forEach(({ brand, item, spec }, rank) => {
          const soldByWeight = sub.grams !== undefined
          const jitter = sub.fixedPrice ? 1 : levelOf(brand) * (0.94 + random.next() * 0.12)
          const yuan = item[1] * spec[1] * jitter
          const listPrice = soldByWeight ? weighedPrice(yuan) : sub.fixedPrice ? Math.round(yuan * 100) : shelfPrice(yuan)
          const name = sub.fixedPrice ? `${brand}(${item[0]}) ${spec[0]}` : nameOf(brand, item[0], spec[0])
          const pointsEligible = !(sub.noPoints?.test(name) ?? false)
          // About one product in five has a member price, 5–18% off; never tobacco.
          const memberPrice = !sub.fixedPrice && random.chance(0.21)
            ? Math.min(listPrice - 10, Math.round((listPrice * (0.82 + random.next() * 0.13)) / 10) * 10)
            : null
          products.push({
            sku: `${dept.code}${String(c + 1).padStart(2, '0')}${String(++seq).padStart(4, '0')}`,
            name,
            barcode: soldByWeight && brand === '' ? null : barcodeFor(brand === '' ? `${dept.code}-${cat.name}` : brand),
            department: dept.name,
            category: cat.name,
            subcategory: sub.name,
            brand: brand === '' ? null : brand,
            listPrice,
            memberPrice: memberPrice !== null && memberPrice > 0 ? memberPrice : null,
            pointsEligible,
            soldByWeight,
            // A few products of each subcategory sell most (a Zipf-like tail), the cheaper the more.
            weight: (sub.sales / chosen.length) * (chosen.length / (rank + 1)) ** 0.8 * (typical / (item[1] * spec[1])) ** 1,
            grams: sub.grams ?? null,
          })
        })
      }
    })
  }
  return products
}

const yuan = (fen: number) => (fen / 100).toFixed(2)

/** The catalogue as an HQ product file (the columns `patron products import` reads). */
export const demoProductsCsv = (products: readonly DemoProduct[]): string =>
  stringify([
    ['sku', 'name', 'barcode', 'department', 'category', 'subcategory', 'brand', 'list_price', 'member_price', 'points_eligible', 'sold_by_weight'],
    ...products.map((p) => [
      p.sku, p.name, p.barcode ?? '', p.department, p.category, p.subcategory, p.brand ?? '', yuan(p.listPrice),
      p.memberPrice === null ? '' : yuan(p.memberPrice), p.pointsEligible ? '1' : '0', p.soldByWeight ? '1' : '0',
    ]),
  ])

/**
 * Loads the demo catalogue through the product import; SKUs already in the catalogue are kept
 * as they are, so a re-run adds nothing (and is skipped without an import when all are there).
 */
export const seedDemoProducts = async (services: Services, actor: Actor, products: readonly DemoProduct[]): Promise<{ inserted: number }> => {
  let present = 0
  for (let i = 0; i < products.length; i += 1000) {
    const skus = products.slice(i, i + 1000).map((p) => p.sku)
    present += (await findProductsBySkus(services.db, skus)).size
  }
  if (present === products.length) return { inserted: 0 }
  const result = await services.productImports.run(actor, { source: Readable.from([demoProductsCsv(products)]), sourceName: 'demo catalogue' })
  if (result.failed > 0) throw new Error(`demo catalogue refused: ${JSON.stringify(result.errors.slice(0, 3))}`)
  return { inserted: result.inserted }
}
