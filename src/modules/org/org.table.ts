export interface RegionsTable {
  id: string
  code: string
  name: string
  created_at: string
  updated_at: string
}

export interface StoresTable {
  id: string
  code: string
  name: string
  region_id: string | null
  city: string
  district: string | null
  address: string | null
  opened_on: string | null
  status: 'open' | 'closed'
  closed_at: string | null
  created_at: string
  updated_at: string
}

export interface OrgTables {
  regions: RegionsTable
  stores: StoresTable
}
