// Placeholder while the page is being built in this change; replaced before commit.
export const MemberRegisterPage = () => null
export default MemberRegisterPage
