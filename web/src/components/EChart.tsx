import { Skeleton } from 'antd'
import { useEffect, useRef, useState } from 'react'

type ECharts = typeof import('./echarts.js')
type Option = Parameters<ReturnType<ECharts['echarts']['init']>['setOption']>[0]

/** Renders an ECharts option; echarts itself loads lazily, in its own chunk. */
export const EChart = ({ option, height = 300 }: { option: Option; height?: number }) => {
  const ref = useRef<HTMLDivElement>(null)
  const [lib, setLib] = useState<ECharts | null>(null)
  useEffect(() => {
    void import('./echarts.js').then(setLib)
  }, [])
  useEffect(() => {
    if (!lib || !ref.current) return
    const chart = lib.echarts.init(ref.current)
    chart.setOption(option)
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [lib, option])
  if (!lib) return <Skeleton.Node active style={{ width: '100%', height }} />
  return <div ref={ref} style={{ width: '100%', height }} />
}
