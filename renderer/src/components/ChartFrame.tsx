// A chart with its title and its SVG and PNG export buttons, in a fixed-height responsive container. The file
// name comes from the services (exportFileName), like every other export.
import { useRef, type ReactElement, type ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import { call } from '../api';
import { chartPng, chartSvg, download } from '../lib/chart-export';
import { useStudio } from '../store';

export function ChartFrame({ title, nameParts, height, testId, note, children }: {
  title: string;
  /** What the chart shows and where from, for the exported file's name. */
  nameParts: string[];
  height: number;
  testId: string;
  note?: ReactNode;
  children: ReactElement;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const reportError = useStudio((s) => s.reportError);
  // The file is read away from the app: its title says which study it came from.
  const studyName = useStudio((s) => s.studies.find((x) => x.id === s.selectedStudyId)?.name);
  const fullTitle = studyName ? `${title} · ${studyName}` : title;
  const save = async (kind: 'svg' | 'png') => {
    try {
      const container = ref.current;
      if (!container) throw new Error('There is no chart to export yet.');
      const { fileName } = await call('insight.fileName', { parts: nameParts, extension: kind });
      if (kind === 'svg') download(fileName, chartSvg(container, fullTitle), 'image/svg+xml');
      else download(fileName, await chartPng(container, fullTitle));
    } catch (err) {
      reportError('export', err);
    }
  };
  return (
    <figure className="chart-frame" data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="export-buttons">
          <button type="button" className="button small" data-testid={`${testId}-svg`} onClick={() => void save('svg')}>SVG</button>
          <button type="button" className="button small" data-testid={`${testId}-png`} onClick={() => void save('png')}>PNG</button>
        </span>
      </figcaption>
      {note && <div className="chart-note">{note}</div>}
      <div ref={ref} className="chart-body" style={{ height }}>
        <ResponsiveContainer width="100%" height={height}>{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}
