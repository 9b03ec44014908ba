export default {
  title: '年终返利',
}
