export default {
  title: '优惠券',
}
