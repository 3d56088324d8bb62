/** The charts page: requests by status and week, and deadline performance, each with its table. */
import { StackedBarChart } from '../chart';
import {
  deadlinePerformance,
  type PERFORMANCE_KEYS,
  requestsByStatusAndWeek,
  type STATUS_KEYS,
} from '../charts';
import { LoadProblem } from '../components';
import { useConsole } from '../context';
import type { MessageKey } from '../messages';
import { useLedger } from './queue';

const WEEKS = 8;

/** Fills that differ in lightness too, each at least 3:1 against white (WCAG 1.4.11). */
const STATUS_COLOURS: Record<(typeof STATUS_KEYS)[number], string> = {
  'awaiting-verification': '#b45309',
  open: '#1d4ed8',
  completed: '#15803d',
  refused: '#57534e',
};
const PERFORMANCE_COLOURS: Record<(typeof PERFORMANCE_KEYS)[number], string> = {
  'on-time': '#15803d',
  late: '#b45309',
  overdue: '#b91c1c',
  pending: '#1d4ed8',
};

/** The charts page. */
export function ChartsView() {
  const { t, now, lang } = useConsole();
  const { requests, failed } = useLedger();
  if (failed) return <LoadProblem error={failed} />;
  if (!requests) return <p>{t('loading')}</p>;
  const status = requestsByStatusAndWeek(requests, now(), WEEKS);
  const performance = deadlinePerformance(requests, now(), WEEKS);
  const share =
    performance.onTimeShare === undefined
      ? undefined
      : new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { style: 'percent' }).format(
          performance.onTimeShare,
        );
  return (
    <>
      <h1>{t('chartsTitle')}</h1>
      <StackedBarChart
        id="chart-status"
        title={t('chartStatusTitle')}
        description={t('chartStatusDesc', { weeks: WEEKS })}
        series={status}
        labelOf={(k) => t(`status.${k}` as MessageKey)}
        colours={STATUS_COLOURS}
      />
      <StackedBarChart
        id="chart-performance"
        title={t('chartPerfTitle')}
        description={t('chartPerfDesc', { weeks: WEEKS })}
        series={performance}
        labelOf={(k) => t((k === 'overdue' ? 'overdue' : k) as MessageKey)}
        colours={PERFORMANCE_COLOURS}
      />
      <p class="share">{share ? t('onTimeShare', { share }) : t('noShare')}</p>
    </>
  );
}
