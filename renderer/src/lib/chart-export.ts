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
const LEGEND_ROW = 22;

/** recharts draws its legend as HTML beside the <svg>: its entries (colour, label) are redrawn inside the file. */
function legendEntries(container: HTMLElement): { color: string; label: string }[] {
  return [...container.querySelectorAll('.recharts-legend-item')].map((item) => {
    const mark = item.querySelector('path, rect, line, circle');
    const color = mark?.getAttribute('fill') && mark.getAttribute('fill') !== 'none' ? mark.getAttribute('fill')! : mark?.getAttribute('stroke') ?? '#333';
    return { color, label: item.querySelector('.recharts-legend-item-text')?.textContent ?? item.textContent ?? '' };
  }).filter((e) => e.label);
}

/** The chart as a standalone SVG document with its legend, font and background, and its size in pixels. */
function standaloneChart(container: HTMLElement): { svg: string; width: number; height: number } {
  const svg = chartElement(container);
  if (!svg) throw new Error('There is no chart to export yet.');
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const rect = svg.getBoundingClientRect();
  const width = Math.round(rect.width);
  const legend = legendEntries(container);
  const height = Math.round(rect.height) + (legend.length ? LEGEND_ROW : 0);
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const style = getComputedStyle(container);
  copy.setAttribute('style', `font-family: ${style.fontFamily}; font-size: ${style.fontSize}; background: #fff`);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#fff');
  copy.insertBefore(background, copy.firstChild);
  if (legend.length) {
    const group = document.createElementNS(SVG_NS, 'g');
    group.setAttribute('transform', `translate(8, ${height - LEGEND_ROW + 6})`);
    let x = 0;
    for (const entry of legend) {
      const swatch = document.createElementNS(SVG_NS, 'rect');
      Object.entries({ x: x, y: 0, width: 10, height: 10, fill: entry.color }).forEach(([k, v]) => swatch.setAttribute(k, String(v)));
      const label = document.createElementNS(SVG_NS, 'text');
      Object.entries({ x: x + 14, y: 9, fill: '#333' }).forEach(([k, v]) => label.setAttribute(k, String(v)));
      label.textContent = entry.label;
      group.append(swatch, label);
      x += 24 + entry.label.length * 7;
    }
    copy.appendChild(group);
  }
  return { svg: new XMLSerializer().serializeToString(copy), width, height };
}

/** The chart's <svg> as a standalone document, legend included. */
export function chartSvg(container: HTMLElement): string {
  return standaloneChart(container).svg;
}

/** The chart rendered to PNG at twice its on-screen size. */
export async function chartPng(container: HTMLElement, scale = 2): Promise<Blob> {
  const { svg: svgText, width, height } = standaloneChart(container);
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
