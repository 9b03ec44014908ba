export default {
  title: 'feedback',
}
