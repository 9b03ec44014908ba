// Placeholder while the page is being built in this change; replaced before commit.
export const MemberImportPage = () => null
export default MemberImportPage
