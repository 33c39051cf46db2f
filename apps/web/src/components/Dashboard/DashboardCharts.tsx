'use client';

import { AreaChart, BarChart } from '@mantine/charts';
import { Card, SimpleGrid, Text, Title, VisuallyHidden } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import type { StatsDto } from '@/hooks/queries/stats';
import { formatBytes } from '@/lib/format';

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayOf = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

interface ChartCardProps {
  title: string;
  description: string;
  /** What the chart shows, in one sentence, for screen readers. */
  summary: string;
  /** The numbers behind the chart, as a visually hidden table. */
  table: { columns: string[]; rows: (string | number)[][] };
  testId: string;
  children: ReactNode;
}

/** A titled chart whose drawing is hidden from assistive technology, told instead by a summary and a table. */
function ChartCard({ title, description, summary, table, testId, children }: ChartCardProps) {
  const titleId = useId();
  return (
    <Card data-testid={testId} component="section" aria-labelledby={titleId}>
      <Title order={2} size="h5" id={titleId}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      <div role="img" aria-label={summary} data-testid={`${testId}-summary`}>
        <div aria-hidden>{children}</div>
      </div>
      <VisuallyHidden>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </Card>
  );
}

/** The 30-day outcomes (stacked successes and failures) and the growth of what was written. */
export function DashboardCharts({ daily }: { daily: StatsDto['daily'] }) {
  const outcomes = daily.map((d) => ({ day: dayOf(d.date), Succeeded: d.successes, Failed: d.failures }));
  const successes = daily.reduce((sum, d) => sum + d.successes, 0);
  const failures = daily.reduce((sum, d) => sum + d.failures, 0);
  const failedDays = daily.filter((d) => d.failures > 0).length;

  let running = 0;
  const growth = daily.map((d) => {
    running += d.bytes;
    return { day: dayOf(d.date), bytes: d.bytes, written: running };
  });
  const first = daily[0];
  const last = daily[daily.length - 1];
  const period = first && last ? `from ${dayOf(first.date)} to ${dayOf(last.date)}` : 'over the last 30 days';

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <ChartCard
        testId="chart-outcomes"
        title="Backups, last 30 days"
        description="Successes and failures per day (UTC)."
        summary={`Backups ${period}: ${successes} succeeded and ${failures} failed; failures on ${failedDays} of ${daily.length} days.`}
        table={{
          columns: ['Day', 'Succeeded', 'Failed'],
          rows: daily.map((d) => [dayOf(d.date), d.successes, d.failures]),
        }}
      >
        <BarChart
          h={220}
          data={outcomes}
          dataKey="day"
          type="stacked"
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 28 }}
          series={[
            { name: 'Succeeded', color: 'teal.6' },
            { name: 'Failed', color: 'red.6' },
          ]}
          tickLine="none"
          xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 24 }}
          yAxisProps={{ allowDecimals: false, width: 32 }}
          maxBarWidth={18}
        />
      </ChartCard>
      <ChartCard
        testId="chart-storage"
        title="Storage growth, last 30 days"
        description="Bytes written by successful backups, added up day by day."
        summary={`Successful backups wrote ${formatBytes(running)} ${period}.`}
        table={{
          columns: ['Day', 'Written that day', 'Written so far'],
          rows: growth.map((g) => [g.day, formatBytes(g.bytes), formatBytes(g.written)]),
        }}
      >
        <AreaChart
          h={220}
          data={growth}
          dataKey="day"
          series={[{ name: 'written', label: 'Written so far', color: 'brand.6' }]}
          curveType="monotone"
          withDots={false}
          tickLine="none"
          valueFormatter={(value) => formatBytes(value)}
          xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 24 }}
          yAxisProps={{ width: 64 }}
        />
      </ChartCard>
    </SimpleGrid>
  );
}
