export interface Series {
  label: string;
  values: number[];
  className: string;
}

interface Props {
  title: string;
  unit: string;
  /** One timestamp (ms) per value, evenly spaced. */
  times: number[];
  series: Series[];
  testId?: string;
}

const WIDTH = 360;
const HEIGHT = 140;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

/** Draws a small SVG line chart of per-minute values (four charts need no chart library). */
export function MetricChart({ title, unit, times, series, testId }: Props) {
  const max = Math.max(1, ...series.flatMap((entry) => entry.values));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number): number => PAD.left + (times.length <= 1 ? plotWidth / 2 : (index / (times.length - 1)) * plotWidth);
  const y = (value: number): number => PAD.top + plotHeight - (value / max) * plotHeight;
  const total = series[0]?.values.reduce((sum, value) => sum + value, 0) ?? 0;
  const first = times[0];
  const last = times.at(-1);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
        <span className="muted small"> {unit === 'Count' ? `${total} in range` : `max ${max.toFixed(1)} ${unit}`}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title} per minute`}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * fraction)} y2={y(max * fraction)} />
            <text className="axis" x={PAD.left - 4} y={y(max * fraction) + 4} textAnchor="end">
              {formatTick(max * fraction)}
            </text>
          </g>
        ))}
        {series.map((entry) => (
          <polyline
            key={entry.label}
            className={`series ${entry.className}`}
            points={entry.values.map((value, index) => `${x(index)},${y(value)}`).join(' ')}
          />
        ))}
        {first !== undefined && (
          <text className="axis" x={PAD.left} y={HEIGHT - 6}>
            {new Date(first).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          </text>
        )}
        {last !== undefined && (
          <text className="axis" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
            {new Date(last).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          </text>
        )}
      </svg>
      {series.length > 1 && (
        <div className="legend small">
          {series.map((entry) => (
            <span key={entry.label} className={`legend-item ${entry.className}`}>
              {entry.label}
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}

function formatTick(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
