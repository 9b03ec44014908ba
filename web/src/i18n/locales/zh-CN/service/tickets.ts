export default {
  title: 'tickets',
}
