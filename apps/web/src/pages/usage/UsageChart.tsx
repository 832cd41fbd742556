import { BarChartOutlined } from '@ant-design/icons';
import { Card, Segmented, Skeleton } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';
import { type DailyUsage, trpc } from '../../lib/trpc.ts';
import { chartScale, formatAxis } from '../../lib/usage.ts';

type Metric = 'requests' | 'credits';
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };

/** The width of an element, kept up to date (charts are drawn in pixels, so text stays crisp). */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

function Bars({
  days,
  metric,
  timeZone,
  width,
}: {
  days: DailyUsage[];
  metric: Metric;
  timeZone: string;
  width: number;
}) {
  const { t, locale } = useLocale();
  const [hover, setHover] = useState<number | null>(null);
  const values = days.map((day) => day[metric]);
  const scale = chartScale(values);
  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(24, slot * 0.62));
  // A date label every week, every two on narrow screens (they need ~56 px each).
  const labelEvery = slot * 7 < 56 ? 14 : 7;
  const y = (value: number) => PAD.top + plotH - (value / scale.max) * plotH;
  const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone });
  const label = (index: number) => {
    const day = days[index];
    if (!day) return '';
    return t('chart.day', {
      date: dayLabel.format(new Date(day.day)),
      value: formatCredits(day[metric], locale),
      unit: metric === 'requests' ? t('chart.unitRequests') : t('chart.unitCredits'),
    });
  };
  const metricName = metric === 'requests' ? t('chart.requests') : t('chart.credits');
  // One pointer listener for the whole plot: the day under the pointer is highlighted and named.
  const svgRef = useRef<SVGSVGElement>(null);
  const count = days.length;
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const move = (event: PointerEvent) => {
      const index = Math.floor(
        (event.clientX - svg.getBoundingClientRect().left - PAD.left) / slot,
      );
      setHover(index >= 0 && index < count ? index : null);
    };
    const leave = () => setHover(null);
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerleave', leave);
    return () => {
      svg.removeEventListener('pointermove', move);
      svg.removeEventListener('pointerleave', leave);
    };
  }, [slot, count]);

  return (
    <div className="usage-chart__plot">
      <div className="usage-chart__hover" aria-live="polite">
        {hover !== null ? label(hover) : '\u00a0'}
      </div>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={t('chart.label', { metric: metricName })}
        ref={svgRef}
      >
        {scale.ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={width - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              className={tick === 0 ? 'usage-chart__axis' : 'usage-chart__grid'}
            />
            <text x={PAD.left - 8} y={y(tick)} className="usage-chart__tick" textAnchor="end">
              {formatAxis(tick, locale)}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const value = day[metric];
          const x = PAD.left + index * slot;
          const top = y(value);
          const last = index === days.length - 1;
          return (
            <g key={day.day}>
              {value > 0 ? (
                <rect
                  x={x + (slot - barW) / 2}
                  y={top}
                  width={barW}
                  height={PAD.top + plotH - top}
                  rx={Math.min(3, barW / 2)}
                  className={
                    hover === index
                      ? `usage-chart__bar usage-chart__bar--${metric} usage-chart__bar--hover`
                      : `usage-chart__bar usage-chart__bar--${metric}`
                  }
                />
              ) : null}
              {(days.length - 1 - index) % labelEvery === 0 ? (
                <text
                  x={x + slot / 2}
                  y={HEIGHT - 8}
                  className={
                    last ? 'usage-chart__tick usage-chart__tick--today' : 'usage-chart__tick'
                  }
                  textAnchor="middle"
                >
                  {dayLabel.format(new Date(day.day))}
                </text>
              ) : null}
              <rect x={x} y={PAD.top} width={slot} height={plotH} fill="transparent">
                <title>{label(index)}</title>
              </rect>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Requests or credits per day for the last 30 days, as bars, with the total. */
export function UsageChart({ timeZone }: { timeZone: string }) {
  const { t, locale } = useLocale();
  const daily = trpc.usage.daily.useQuery({ days: 30 });
  const [metric, setMetric] = useState<Metric>('requests');
  const { ref, width } = useWidth();
  const days = daily.data ?? [];
  const total = days.reduce((sum, day) => sum + day[metric], 0);
  const empty = daily.data !== undefined && days.every((d) => d.requests === 0 && d.credits === 0);

  return (
    <Card
      variant="borderless"
      data-testid="usage-chart"
      title={
        <span className="card-title-icon">
          <BarChartOutlined /> {t('chart.title')}
        </span>
      }
      extra={
        <Segmented<Metric>
          size="small"
          value={metric}
          onChange={setMetric}
          options={[
            { value: 'requests', label: t('chart.requests') },
            { value: 'credits', label: t('chart.credits') },
          ]}
          data-testid="chart-metric"
        />
      }
    >
      <QueryError error={daily.error} onRetry={() => void daily.refetch()} />
      {daily.data ? (
        <div className="usage-chart__total">
          {metric === 'requests'
            ? t('chart.totalRequests', { count: formatCredits(total, locale) })
            : t('chart.totalCredits', { count: formatCredits(total, locale) })}
        </div>
      ) : null}
      <div ref={ref} className="usage-chart">
        {daily.isPending ? <Skeleton active title={false} paragraph={{ rows: 6 }} /> : null}
        {daily.data && width > 0 ? (
          <Bars days={days} metric={metric} timeZone={timeZone} width={width} />
        ) : null}
        {empty ? <div className="usage-chart__empty">{t('chart.empty')}</div> : null}
      </div>
    </Card>
  );
}
