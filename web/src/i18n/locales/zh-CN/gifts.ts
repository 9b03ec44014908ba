export default {
  title: '积分换购',
}
