/**
 * An inline SVG bar chart of a body's key figures over the years. It is
 * decoration for sighted readers: the same figures are in the table beside
 * it, and the chart carries a text alternative that states them. Styling is
 * by class (the page's CSP forbids inline styles); missing figures are drawn
 * as a labelled gap, never as a zero bar.
 */
export interface ChartSeries {
  label: string;
  className: string;
  /** One entry per year; null when the figure is not a number in that report. */
  values: (number | null)[];
}

export interface ChartInput {
  id: string;
  title: string;
  years: string[];
  series: ChartSeries[];
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 56, right: 16, top: 16, bottom: 56 };

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** The text alternative: every figure of every series, in words. */
export function chartDescription(input: ChartInput): string {
  return input.series
    .map(
      (s) =>
        `${s.label}：` +
        input.years.map((year, i) => `${year}年 ${s.values[i] === null || s.values[i] === undefined ? '无数值' : s.values[i]}`).join('，'),
    )
    .join('；');
}

export function barChart(input: ChartInput): string {
  const numbers = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = niceMax(Math.max(0, ...numbers));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const groupWidth = plotWidth / Math.max(1, input.years.length);
  const barWidth = Math.min(28, (groupWidth * 0.8) / Math.max(1, input.series.length));
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeXml(input.title)}</title>`,
    `<desc id="${descId}">${escapeXml(chartDescription(input))}</desc>`,
  ];
  for (const tick of [0, 0.5, 1]) {
    const y = PLOT.top + plotHeight * (1 - tick);
    parts.push(
      `<line class="grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${round(y)}" y2="${round(y)}"/>`,
      `<text class="axis" x="${PLOT.left - 6}" y="${round(y + 4)}" text-anchor="end">${round(max * tick)}</text>`,
    );
  }
  input.years.forEach((year, i) => {
    const groupX = PLOT.left + groupWidth * i + (groupWidth - barWidth * input.series.length) / 2;
    input.series.forEach((series, s) => {
      const value = series.values[i] ?? null;
      const x = groupX + barWidth * s;
      if (value === null) {
        parts.push(
          `<text class="gap" x="${round(x + barWidth / 2)}" y="${round(PLOT.top + plotHeight - 4)}" text-anchor="middle">缺</text>`,
        );
        return;
      }
      const h = (Math.max(0, value) / max) * plotHeight;
      parts.push(
        `<rect class="bar ${series.className}" x="${round(x)}" y="${round(PLOT.top + plotHeight - h)}" width="${round(barWidth - 2)}" height="${round(h)}"/>`,
      );
    });
    parts.push(
      `<text class="axis" x="${round(PLOT.left + groupWidth * i + groupWidth / 2)}" y="${HEIGHT - PLOT.bottom + 18}" text-anchor="middle">${escapeXml(year)}</text>`,
    );
  });
  input.series.forEach((series, s) => {
    const x = PLOT.left + s * 150;
    const y = HEIGHT - 14;
    parts.push(
      `<rect class="bar ${series.className}" x="${x}" y="${y - 10}" width="12" height="12"/>`,
      `<text class="legend" x="${x + 18}" y="${y}">${escapeXml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
