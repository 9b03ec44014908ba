// A journey version's step figures as an ECharts option: a pure function of the API's answer and
// the page's words, tested on its own; <EChart> only renders it.

export interface StepFigures { index: number; at: number; done: number; exited: number }

/**
 * One bar per step, top to bottom in step order, the members who reached it split into those who
 * passed it, those waiting there now and those who left there: read down, a funnel of the journey.
 */
export const stepsChartOption = (stats: readonly StepFigures[], stepLabels: readonly string[], words: { done: string; at: string; exited: string }) => ({
  tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
  legend: { data: [words.done, words.at, words.exited], bottom: 0 },
  grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
  xAxis: { type: 'value' as const, minInterval: 1 },
  yAxis: { type: 'category' as const, inverse: true, data: stats.map((s) => stepLabels[s.index] ?? String(s.index + 1)) },
  series: ([['done', '#52c41a'], ['at', '#1677ff'], ['exited', '#bfbfbf']] as const).map(([key, color]) => ({
    name: words[key], type: 'bar' as const, stack: 'members', barMaxWidth: 28, itemStyle: { color }, data: stats.map((s) => s[key]),
  })),
})
