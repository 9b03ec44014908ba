import { GlobalOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons'
import { Dropdown, Layout, Menu, Space, Spin, Tag, Typography, type MenuProps } from 'antd'
import { Suspense, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet, useLocation, useNavigate } from 'react-router'
import { useSession } from '../auth/session.js'
import { LANGUAGES, setLanguage, type Language } from '../i18n/index.js'
import { AREAS, mayOpen, ROUTES } from '../routes.js'

const LANGUAGE_LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'en-US': 'English' }

export const LanguageSwitch = () => {
  const { i18n, t } = useTranslation()
  const items: MenuProps['items'] = LANGUAGES.map((lng) => ({ key: lng, label: LANGUAGE_LABELS[lng] }))
  return (
    <Dropdown menu={{ items, selectable: true, selectedKeys: [i18n.language], onClick: ({ key }) => void setLanguage(key as Language) }}>
      <a data-testid="language-switch" aria-label={t('header.language')}>
        <Space><GlobalOutlined />{LANGUAGE_LABELS[i18n.language as Language] ?? i18n.language}</Space>
      </a>
    </Dropdown>
  )
}

export const AppLayout = () => {
  const { t } = useTranslation()
  const { user, store, regionName, can, logout } = useSession()
  const navigate = useNavigate()
  const location = useLocation()

  const menuItems = useMemo<MenuProps['items']>(() => {
    const visible = ROUTES.filter((r) => r.menuKey && mayOpen(can, r.permission))
    const items: NonNullable<MenuProps['items']> = []
    for (const route of visible) {
      const label = t(route.menuKey as never)
      if (!route.area) {
        items.push({ key: route.path, icon: route.icon, label })
        continue
      }
      const areaKey = `area:${route.area}`
      let area = items.find((i) => i?.key === areaKey) as { children: NonNullable<MenuProps['items']> } | undefined
      if (!area) {
        area = { key: areaKey, icon: AREAS[route.area].icon, label: t(AREAS[route.area].menuKey as never), children: [] } as never
        items.push(area as never)
      }
      area!.children.push({ key: route.path, label })
    }
    return items
  }, [can, t])

  const selected = ROUTES.filter((r) => r.menuKey).map((r) => r.path)
    .filter((p) => p === location.pathname || (p !== '/' && location.pathname.startsWith(`${p}/`)))
    .sort((a, b) => b.length - a.length)[0] ?? (location.pathname === '/' ? '/' : '')
  const openArea = ROUTES.find((r) => r.path === selected)?.area

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={220}>
        <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '16px 24px' }}>Patron</div>
        <Menu
          theme="dark" mode="inline" data-testid="side-menu" items={menuItems} selectedKeys={[selected]}
          defaultOpenKeys={openArea ? [`area:${openArea}`] : ['area:members']}
          onClick={({ key }) => void navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 24 }}>
          <LanguageSwitch />
          <Space data-testid="current-user" style={{ cursor: 'pointer' }} onClick={() => void navigate('/account')} title={t('header.account')}>
            <UserOutlined />
            <Typography.Text>{user?.displayName}</Typography.Text>
            <Tag>{user ? t(`roles.${user.role}` as never) : ''}</Tag>
            <Typography.Text type="secondary">{store ? store.name : regionName ?? t('header.hq')}</Typography.Text>
          </Space>
          <a data-testid="logout" onClick={() => void logout().then(() => navigate('/login'))}>
            <Space><LogoutOutlined />{t('header.logout')}</Space>
          </a>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
