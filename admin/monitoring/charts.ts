import { scaleBand, scaleLinear } from 'd3-scale'

/**
 * Bar charts as plain geometry for an Eta partial (views/monitoring/bar-chart.eta) to draw as
 * SVG on the server: no script in the page (the CSP allows none inline), nothing to load, and
 * the same figures as the table beside it. d3-scale only places bars and picks round ticks.
 */
export type ChartInput = {
  id: string
  title: string
  /** What the chart shows, in words, for screen readers (SVG <desc>). */
  desc: string
  /** Categories down the side (long names: rubros, phases) or periods along the bottom. */
  orientation: 'horizontal' | 'vertical'
  series: string[]
  data: { label: string; values: number[]; hrefs?: (string | undefined)[] }[]
}

export type ChartBar = {
  x: number
  y: number
  w: number
  h: number
  series: number
  value: number
  /** Where the value's text label sits, and how it is turned (vertical bars). */
  tx: number
  ty: number
  rotate: boolean
  /** "category — series: value", the bar's own <title>. */
  title: string
  href?: string | undefined
}

export type ChartModel = {
  id: string
  title: string
  desc: string
  orientation: 'horizontal' | 'vertical'
  width: number
  height: number
  legend: { label: string; series: number; x: number; y: number }[]
  bars: ChartBar[]
  categories: { text: string; full: string; x: number; y: number }[]
  ticks: { label: string; x1: number; y1: number; x2: number; y2: number; tx: number; ty: number }[]
  axis: { x1: number; y1: number; x2: number; y2: number }
}

const BAR = 14
const GAP = 8
const LEGEND = 22
const LABEL_CHARS = 26

function shorten(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text
}

/** Counts get whole-number ticks only (no "2.5 groups"). */
function countTicks(max: number): number[] {
  return scaleLinear()
    .domain([0, Math.max(1, max)])
    .nice(5)
    .ticks(5)
    .filter((t) => Number.isInteger(t))
}

export function barChart(input: ChartInput): ChartModel {
  const n = input.data.length
  const s = Math.max(1, input.series.length)
  const band = s * BAR + GAP
  const max = Math.max(0, ...input.data.flatMap((d) => d.values))
  const top = input.series.length > 1 ? LEGEND + 8 : 8
  const legend =
    input.series.length > 1
      ? input.series.map((label, i) => ({ label, series: i, x: 8 + i * 160, y: 6 }))
      : []
  const bars: ChartBar[] = []
  const categories: ChartModel['categories'] = []
  const ticks: ChartModel['ticks'] = []

  if (input.orientation === 'horizontal') {
    const left = 190
    const width = 680
    const right = width - 56
    const height = top + n * band + 26
    const y = scaleBand<number>()
      .domain(input.data.map((_, i) => i))
      .range([top, top + n * band])
      .paddingInner(0)
    const x = scaleLinear()
      .domain([0, Math.max(1, countTicks(max).at(-1) ?? max)])
      .range([left, right])
    input.data.forEach((d, i) => {
      const y0 = (y(i) ?? top) + GAP / 2
      categories.push({ text: shorten(d.label), full: d.label, x: left - 6, y: y0 + (s * BAR) / 2 })
      d.values.forEach((v, k) => {
        const w = x(v) - left
        bars.push({
          x: left,
          y: y0 + k * BAR,
          w,
          h: BAR - 2,
          series: k,
          value: v,
          tx: left + w + 4,
          ty: y0 + k * BAR + BAR / 2,
          rotate: false,
          title: barTitle(d.label, input.series[k], v),
          href: v > 0 ? d.hrefs?.[k] : undefined, // nothing to list behind a zero
        })
      })
    })
    const bottom = top + n * band
    for (const t of countTicks(max)) {
      ticks.push({
        label: String(t),
        x1: x(t),
        y1: top,
        x2: x(t),
        y2: bottom,
        tx: x(t),
        ty: bottom + 16,
      })
    }
    return {
      ...base(input, width, height, legend, bars, categories, ticks),
      axis: { x1: left, y1: top, x2: left, y2: bottom },
    }
  }

  const left = 44
  const labelRoom = 64
  const plotTop = top + 30 // room for the value labels above the tallest bar
  const plotHeight = 200
  const bottom = plotTop + plotHeight
  const width = Math.max(360, left + n * band + 16)
  const height = bottom + labelRoom
  const x = scaleBand<number>()
    .domain(input.data.map((_, i) => i))
    .range([left, left + n * band])
  const tickValues = countTicks(max)
  const y = scaleLinear()
    .domain([0, Math.max(1, tickValues.at(-1) ?? max)])
    .range([bottom, plotTop])
  input.data.forEach((d, i) => {
    const x0 = (x(i) ?? left) + GAP / 2
    categories.push({
      text: shorten(d.label),
      full: d.label,
      x: x0 + (s * BAR) / 2,
      y: bottom + 12,
    })
    d.values.forEach((v, k) => {
      const h = bottom - y(v)
      bars.push({
        x: x0 + k * BAR,
        y: bottom - h,
        w: BAR - 2,
        h,
        series: k,
        value: v,
        tx: x0 + k * BAR + (BAR - 2) / 2,
        ty: bottom - h - 4,
        rotate: true,
        title: barTitle(d.label, input.series[k], v),
        href: v > 0 ? d.hrefs?.[k] : undefined, // nothing to list behind a zero
      })
    })
  })
  for (const t of tickValues) {
    ticks.push({
      label: String(t),
      x1: left,
      y1: y(t),
      x2: width - 8,
      y2: y(t),
      tx: left - 6,
      ty: y(t) + 4,
    })
  }
  return {
    ...base(input, width, height, legend, bars, categories, ticks),
    axis: { x1: left, y1: bottom, x2: width - 8, y2: bottom },
  }
}

function barTitle(category: string, series: string | undefined, value: number): string {
  return series ? `${category} — ${series}: ${value}` : `${category}: ${value}`
}

function base(
  input: ChartInput,
  width: number,
  height: number,
  legend: ChartModel['legend'],
  bars: ChartBar[],
  categories: ChartModel['categories'],
  ticks: ChartModel['ticks'],
) {
  return {
    id: input.id,
    title: input.title,
    desc: input.desc,
    orientation: input.orientation,
    width: Math.round(width),
    height: Math.round(height),
    legend,
    bars,
    categories,
    ticks,
  }
}
