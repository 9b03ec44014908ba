export default {
  title: '抽奖',
}
