// Horizontal bars from a reference line (50% for degrees of preference, 1000 for Elo ratings) to each value, with
// the value's interval as a whisker and the top/last three marked: the paper's figure 1, and the pElo chart.
import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

export interface IntervalPoint { value: number; low: number | null; high: number | null; mark?: 'top' | 'last' }
export interface IntervalSeries { label: string; color: string; dashed?: boolean; points: Record<string, IntervalPoint> }

export const SERIES_COLORS = ['#2c6bb0', '#c0562b', '#23743f', '#8147b5', '#a07800', '#17738c', '#b3261e', '#5d6978'];

/** Every value and interval end the series draw: what an axis must reach. */
export const seriesValues = (series: IntervalSeries[]) =>
  series.flatMap((s) => Object.values(s.points).flatMap((p) => [p.value, p.low ?? p.value, p.high ?? p.value]));

/** Height for `rows` rows of `series` bars each. */
export const intervalChartHeight = (rows: number, series: number) => Math.max(260, rows * (8 + 9 * Math.max(1, series)) + 70);

interface ShapeProps { x?: number; y?: number; width?: number; height?: number; payload?: Record<string, unknown> }

function intervalShape(series: IntervalSeries, index: number, baseline: number) {
  return function IntervalShape(props: ShapeProps): ReactElement {
    const { x = 0, y = 0, width = 0, height = 0, payload } = props;
    const point = series.points[String(payload?.row)];
    if (!point) return <g />;
    const left = Math.min(x, x + width);
    const right = Math.max(x, x + width);
    const distance = Math.abs(point.value - baseline);
    // The bar spans baseline..value, which fixes the pixels per unit for the whisker.
    const perUnit = distance > 1e-9 ? (right - left) / distance : 0;
    const base = point.value >= baseline ? left : right;
    const at = (v: number) => base + (v - baseline) * perUnit;
    const mid = y + height / 2;
    const end = point.value >= baseline ? right : left;
    return (
      <g data-series={index}>
        <rect x={left} y={y} width={Math.max(1, right - left)} height={height} fill={series.color} fillOpacity={series.dashed ? 0.25 : 0.7}
          stroke={series.color} strokeDasharray={series.dashed ? '3 2' : undefined} />
        {perUnit > 0 && point.low !== null && point.high !== null && (
          <g className="chart-ink" stroke="#1e2731" strokeWidth={1}>
            <line x1={at(point.low)} x2={at(point.high)} y1={mid} y2={mid} />
            <line x1={at(point.low)} x2={at(point.low)} y1={mid - 3} y2={mid + 3} />
            <line x1={at(point.high)} x2={at(point.high)} y1={mid - 3} y2={mid + 3} />
          </g>
        )}
        {point.mark && (
          <text x={end + (point.value >= baseline ? 4 : -4)} y={mid + 3.5} fontSize={10} textAnchor={point.value >= baseline ? 'start' : 'end'}
            fill={point.mark === 'top' ? '#23743f' : '#b3261e'}>{point.mark === 'top' ? '▲' : '▼'}</text>
        )}
      </g>
    );
  };
}

export function IntervalBars({ rows, series, baseline, domain, ticks, format, width, height }: {
  rows: string[];
  series: IntervalSeries[];
  baseline: number;
  domain: [number, number];
  /** From centredTicks, so that the baseline is a labelled tick; recharts picks them when absent. */
  ticks?: number[];
  format: (v: number) => string;
  /** Given by the ResponsiveContainer around the chart. */
  width?: number;
  height?: number;
}) {
  const data = rows.map((row) => {
    const entry: Record<string, unknown> = { row };
    series.forEach((s, i) => {
      const p = s.points[row];
      if (p) entry[`s${i}`] = [baseline, p.value];
    });
    return entry;
  });
  return (
    <BarChart layout="vertical" data={data} width={width} height={height} margin={{ top: 8, right: 24, bottom: 8, left: 8 }} barGap={1} barCategoryGap={3}>
      <CartesianGrid horizontal={false} strokeDasharray="2 3" />
      <XAxis type="number" domain={domain} ticks={ticks} interval={ticks ? 0 : undefined} tickFormatter={format} allowDataOverflow fontSize={11} />
      <YAxis type="category" dataKey="row" width={170} interval={0} fontSize={11} />
      <ReferenceLine x={baseline} stroke="#1e2731" strokeWidth={1.5} />
      <Tooltip
        cursor={{ fill: 'rgba(44, 107, 176, 0.08)' }}
        content={({ active, label }) => (active ? (
          <div className="chart-tooltip">
            <strong>{String(label)}</strong>
            {series.map((s) => {
              const p = s.points[String(label)];
              return p ? (
                <div key={s.label} style={{ color: s.color }}>
                  {s.label}: {format(p.value)}{p.low !== null && p.high !== null ? ` [${format(p.low)}, ${format(p.high)}]` : ''}
                </div>
              ) : null;
            })}
          </div>
        ) : null)}
      />
      <Legend verticalAlign="top" height={24} iconType="square" />
      {series.map((s, i) => (
        <Bar key={s.label} dataKey={`s${i}`} name={s.label} fill={s.color} isAnimationActive={false} shape={intervalShape(s, i, baseline)} />
      ))}
    </BarChart>
  );
}
