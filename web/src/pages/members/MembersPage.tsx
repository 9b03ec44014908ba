import { Flex } from 'antd'
import { useSession } from '../../auth/session.js'
import { MemberList } from './MemberList.js'
import { MemberSearch } from './MemberSearch.js'

/** The search every role with the page has; the list only for roles that may browse members (not cashiers). */
export const MembersPage = () => {
  const { can } = useSession()
  return (
    <Flex vertical gap={16}>
      <MemberSearch />
      {can('members.list') && <MemberList />}
    </Flex>
  )
}

export default MembersPage
