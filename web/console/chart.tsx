/**
 * A stacked bar chart drawn as SVG by our own code (no chart library: two charts do not pay for
 * one), with its table alternative from the same series. The SVG is an image with a title and a
 * description for screen readers; the table below says the same in rows and columns. Colours
 * differ in lightness as well as hue and every segment has a pattern-free legend with its label,
 * so no reading depends on colour alone.
 */
import { formatDay } from '../shared/i18n';
import { type Series, stackedBars } from './charts';
import { useConsole } from './context';

const WIDTH = 640;
const HEIGHT = 260;

/** The chart and its table. `colours` gives each key's fill. */
export function StackedBarChart<K extends string>(props: {
  id: string;
  title: string;
  description: string;
  series: Series<K>;
  labelOf: (key: K) => string;
  colours: Readonly<Record<K, string>>;
}) {
  const { lang, t } = useConsole();
  const layout = stackedBars(props.series, WIDTH, HEIGHT, { left: 36, right: 8, top: 12, bottom: 32 });
  const weekLabel = (week: string) => {
    const [, m, d] = week.split('-');
    return lang === 'ko' ? `${Number(m)}/${Number(d)}` : `${Number(d)}/${Number(m)}`;
  };
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>
        <h3>{props.title}</h3>
        <p id={`${props.id}-desc`}>{props.description}</p>
      </figcaption>
      <ul class="legend">
        {props.series.keys.map((k) => (
          <li key={k}>
            <svg class="swatch" width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" fill={props.colours[k]} />
            </svg>
            {props.labelOf(k)}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${props.id}-svg-title`}
        aria-describedby={`${props.id}-desc`}
        class="bars"
      >
        <title id={`${props.id}-svg-title`}>{props.title}</title>
        {layout.ticks.map((tick) => (
          <g key={tick.value}>
            <line class="grid" x1={layout.plot.left} x2={layout.plot.right} y1={tick.y} y2={tick.y} />
            <text class="tick" x={layout.plot.left - 6} y={tick.y + 4} text-anchor="end">
              {tick.value}
            </text>
          </g>
        ))}
        {layout.segments.map((s) => (
          <rect
            key={`${s.week}-${s.key}`}
            x={s.x}
            y={s.y}
            width={s.width}
            height={s.height}
            fill={props.colours[s.key]}
            stroke="#ffffff"
            stroke-width="1"
          >
            <title>{`${formatDay(`${s.week}T00:00:00+09:00`, lang)} · ${props.labelOf(s.key)}: ${s.value}`}</title>
          </rect>
        ))}
        {layout.labels.map((l) => (
          <text key={l.week} class="tick" x={l.x} y={HEIGHT - 10} text-anchor="middle">
            {weekLabel(l.week)}
          </text>
        ))}
      </svg>
      <details>
        <summary>{t('showTable')}</summary>
        <table>
          <caption>{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colWeek')}</th>
              {props.series.keys.map((k) => (
                <th key={k} scope="col">
                  {props.labelOf(k)}
                </th>
              ))}
              <th scope="col">{t('colTotal')}</th>
            </tr>
          </thead>
          <tbody>
            {props.series.rows.map((row) => (
              <tr key={row.week}>
                <th scope="row">{formatDay(`${row.week}T00:00:00+09:00`, lang)}</th>
                {props.series.keys.map((k) => (
                  <td key={k}>{row.counts[k]}</td>
                ))}
                <td>{props.series.keys.reduce((sum, k) => sum + row.counts[k], 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
