import { Alert, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CaseStatisticsItem } from '../../../src/client/index.js';
import { wireDay } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { client } from '../session';

const FIGURES = ['newCases', 'finishedCases', 'unfinishedCases', 'overCases', 'averageDuration'] as const;

/**
 * New and finished cases per day, as bars side by side, drawn as SVG: a chart library would cost more than the rest
 * of the page for two series. Days run left to right (the report lists them newest first).
 */
function DayChart({ days, label }: { days: CaseStatisticsItem[]; label: string }) {
  const { t } = useI18n();
  const ordered = [...days].reverse();
  const highest = Math.max(1, ...ordered.flatMap((item) => [item.newCases, item.finishedCases]));
  const width = Math.max(320, ordered.length * 28);
  const height = 160;
  const bar = 10;
  return (
    <svg role="img" aria-label={label} width="100%" viewBox={`0 0 ${width} ${height + 20}`} data-testid="day-chart">
      {ordered.map((item, index) => {
        const x = index * 28 + 4;
        const barOf = (value: number) => (value / highest) * height;
        return (
          <g key={item.date}>
            <title>{`${item.date}: ${t('figure.newCases')} ${item.newCases}, ${t('figure.finishedCases')} ${item.finishedCases}`}</title>
            <rect x={x} y={height - barOf(item.newCases)} width={bar} height={barOf(item.newCases)} fill="var(--mantine-color-blue-6)" />
            <rect x={x + bar + 2} y={height - barOf(item.finishedCases)} width={bar} height={barOf(item.finishedCases)} fill="var(--mantine-color-green-6)" />
            {index % 7 === 0 && <text x={x} y={height + 14} fontSize="9">{item.date.slice(5)}</text>}
          </g>
        );
      })}
    </svg>
  );
}

/** The supervisor's dashboard: today's five figures, and a day-by-day chart over a range (AICC's statistics calls). */
export function Dashboard() {
  const { t } = useI18n();
  const today = new Date();
  const [from, setFrom] = useState(wireDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(wireDay(today));
  const current = useQuery({ queryKey: ['statistics', 'current'], queryFn: () => client.statistics.current() });
  const report = useQuery({
    queryKey: ['statistics', 'report', from, to],
    queryFn: () => client.statistics.report({ startTime: from, endTime: to, start: 0, limit: 100 }),
    enabled: from <= to,
  });
  const failure = current.error ?? report.error;
  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      {failure && <Alert color="red" role="alert">{t('error.generic', { message: failure.message })}</Alert>}
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        {FIGURES.map((figure) => (
          <Card withBorder key={figure}>
            <Text size="sm" c="dimmed">{t(`figure.${figure}` as MessageKey)}</Text>
            <Text size="xl" fw={700} data-testid={`figure-${figure}`}>{current.data ? current.data[figure] : '…'}</Text>
          </Card>
        ))}
      </SimpleGrid>
      <Card withBorder>
        <Group align="end" mb="sm">
          <TextInput type="date" label={t('dashboard.from')} value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          <TextInput type="date" label={t('dashboard.to')} value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </Group>
        {report.data && <DayChart days={report.data.caseStatisticsList} label={t('dashboard.chart')} />}
      </Card>
    </Stack>
  );
}
