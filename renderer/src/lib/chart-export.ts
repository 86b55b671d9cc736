// Every chart exports as SVG and PNG, and every table as the text a service formatted: saved through the
// browser's download (works in Electron's window too), under a name the user can find later.

/** Saves text or a blob as a file. */
export function download(fileName: string, content: Blob | string, type = 'text/plain;charset=utf-8'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart's own <svg>: the largest in the container, since legend icons are small <svg>s that can come first. */
function chartElement(container: HTMLElement): SVGSVGElement | null {
  const area = (svg: SVGSVGElement) => {
    const r = svg.getBoundingClientRect();
    return r.width * r.height;
  };
  return [...container.querySelectorAll('svg')].reduce<SVGSVGElement | null>((best, svg) => (!best || area(svg) > area(best) ? svg : best), null);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const TITLE_ROW = 26;
const LEGEND_ROW = 22;
const SWATCH = 10;
/** Between a swatch and its label, and after a label before the next swatch. */
const GAP = 5;
const ENTRY_GAP = 16;

/** recharts draws its legend as HTML beside the <svg>: its entries (colour, label) are redrawn inside the file. */
function legendEntries(container: HTMLElement): { color: string; label: string }[] {
  return [...container.querySelectorAll('.recharts-legend-item')].map((item) => {
    const mark = item.querySelector('path, rect, line, circle');
    const color = mark?.getAttribute('fill') && mark.getAttribute('fill') !== 'none' ? mark.getAttribute('fill')! : mark?.getAttribute('stroke') ?? '#333';
    return { color, label: item.querySelector('.recharts-legend-item-text')?.textContent ?? item.textContent ?? '' };
  }).filter((e) => e.label);
}

/** The width a text takes in the given CSS font, measured rather than guessed from its length. */
function textWidth(text: string, font: string): number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return text.length * 7;
  context.font = font;
  return context.measureText(text).width;
}

function svgElement(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The chart as a standalone SVG document, light whatever the app's theme: its title on top (what, which group,
 * which study), the chart, its legend below with each label after its swatch; and its size in pixels.
 */
function standaloneChart(container: HTMLElement, title: string): { svg: string; width: number; height: number } {
  const svg = chartElement(container);
  if (!svg) throw new Error('There is no chart to export yet.');
  const chart = svg.cloneNode(true) as SVGSVGElement;
  const rect = svg.getBoundingClientRect();
  const width = Math.round(rect.width);
  const chartHeight = Math.round(rect.height);
  const style = getComputedStyle(container);
  const font = `${style.fontSize} ${style.fontFamily}`;
  const legend = legendEntries(container);
  // Legend entries wrap onto further rows rather than run past the right edge.
  const placed: { color: string; label: string; x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const entry of legend) {
    const entryWidth = SWATCH + GAP + textWidth(entry.label, font);
    if (x > 0 && x + entryWidth > width - 16) {
      x = 0;
      row += 1;
    }
    placed.push({ ...entry, x, row });
    x += entryWidth + ENTRY_GAP;
  }
  const legendHeight = legend.length ? (row + 1) * LEGEND_ROW : 0;
  const height = TITLE_ROW + chartHeight + legendHeight;

  const out = svgElement('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, style: `font-family: ${style.fontFamily}; font-size: ${style.fontSize}` });
  out.append(
    svgElement('rect', { width: '100%', height: '100%', fill: '#fff' }),
    svgElement('text', { x: 8, y: 18, 'font-weight': 600, 'font-size': 14, fill: '#1e2731', class: 'chart-export-title' }, title),
  );
  chart.setAttribute('x', '0');
  chart.setAttribute('y', String(TITLE_ROW));
  chart.setAttribute('width', String(width));
  chart.setAttribute('height', String(chartHeight));
  out.appendChild(chart);
  if (legend.length) {
    const group = svgElement('g', { transform: `translate(8, ${TITLE_ROW + chartHeight + 6})`, class: 'chart-export-legend' });
    for (const entry of placed) {
      const y = entry.row * LEGEND_ROW;
      group.append(
        svgElement('rect', { x: entry.x, y, width: SWATCH, height: SWATCH, fill: entry.color }),
        svgElement('text', { x: entry.x + SWATCH + GAP, y: y + 9, fill: '#333' }, entry.label),
      );
    }
    out.appendChild(group);
  }
  return { svg: new XMLSerializer().serializeToString(out), width, height };
}

/** The chart's <svg> as a standalone document, title and legend included. */
export function chartSvg(container: HTMLElement, title: string): string {
  return standaloneChart(container, title).svg;
}

/** The chart rendered to PNG at twice its on-screen size. */
export async function chartPng(container: HTMLElement, title: string, scale = 2): Promise<Blob> {
  const { svg: svgText, width, height } = standaloneChart(container, title);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
