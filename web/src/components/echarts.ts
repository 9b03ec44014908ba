// Only the chart types and components the console uses, so the chunk stays small.
import { BarChart, HeatmapChart, LineChart, PieChart, SankeyChart, ScatterChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, MarkPointComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer,
  // the insight pages: R×F heat map, value quadrants, Pareto curve, lifecycle flow
  HeatmapChart, ScatterChart, LineChart, SankeyChart, VisualMapComponent, MarkLineComponent, MarkPointComponent,
  // the sales forecast: the weeks before the Spring Festival shaded
  MarkAreaComponent,
])

export { echarts }
