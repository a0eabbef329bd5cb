import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import {
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { prometheus } from './datasources.ts';

interface PanelOptions {
  description: string;
  /** Width out of 24 columns, and height in grid rows. */
  span?: number;
  height?: number;
  datasource?: DataSourceRef;
}

interface TimeseriesOptions extends PanelOptions {
  unit: string;
  stacked?: boolean;
  min?: number;
  max?: number;
}

/** A time series with its legend as a table of last and max values, the way an operator reads a graph. */
export function timeseries(title: string, targets: Builder<Dataquery>[], o: TimeseriesOptions) {
  const panel = new TimeseriesBuilder()
    .title(title)
    .description(o.description)
    .datasource(o.datasource ?? prometheus)
    .targets(targets)
    .unit(o.unit)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .fillOpacity(o.stacked ? 40 : 10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    );
  if (o.stacked) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (o.min !== undefined) panel.min(o.min);
  if (o.max !== undefined) panel.max(o.max);
  return panel;
}

interface StatOptions extends PanelOptions {
  unit: string;
  /** Colour steps from the lowest: the first is the base colour, each next starts at its value. */
  steps?: Threshold[];
}

export function stat(title: string, targets: Builder<Dataquery>[], o: StatOptions) {
  return new StatBuilder()
    .title(title)
    .description(o.description)
    .datasource(o.datasource ?? prometheus)
    .targets(targets)
    .unit(o.unit)
    .span(o.span ?? 4)
    .height(o.height ?? 5)
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Background)
    .thresholds(
      new ThresholdsConfigBuilder()
        .mode(ThresholdsMode.Absolute)
        .steps(o.steps ?? [{ value: null, color: 'blue' }]),
    );
}

export function table(title: string, targets: Builder<Dataquery>[], o: PanelOptions & { unit?: string }) {
  const panel = new TableBuilder()
    .title(title)
    .description(o.description)
    .datasource(o.datasource ?? prometheus)
    .targets(targets)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .filterable(true);
  if (o.unit) panel.unit(o.unit);
  return panel;
}

/** Threshold steps: red below `bad`, orange below `good`, green from `good` (ratios, health). */
export function higherIsBetter(bad: number, good: number): Threshold[] {
  return [
    { value: null, color: 'red' },
    { value: bad, color: 'orange' },
    { value: good, color: 'green' },
  ];
}

/** Threshold steps: green below `warn`, orange from `warn`, red from `bad` (latency, lag, errors). */
export function lowerIsBetter(warn: number, bad: number): Threshold[] {
  return [
    { value: null, color: 'green' },
    { value: warn, color: 'orange' },
    { value: bad, color: 'red' },
  ];
}
