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

/** The calls every panel builder shares; the helpers below start from them. */
interface PanelBasics<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(datasource: DataSourceRef): T;
  targets(targets: Builder<Dataquery>[]): T;
  span(w: number): T;
  height(h: number): T;
}

function basics<T extends PanelBasics<T>>(
  panel: T,
  title: string,
  targets: Builder<Dataquery>[],
  o: PanelOptions,
  [span, height]: [number, number],
): T {
  return panel
    .title(title)
    .description(o.description)
    .datasource(o.datasource ?? prometheus)
    .targets(targets)
    .span(o.span ?? span)
    .height(o.height ?? height);
}

/** A time series with its legend as a table of last and max values, the way an operator reads a graph. */
export function timeseries(title: string, targets: Builder<Dataquery>[], o: TimeseriesOptions) {
  const panel = basics(new TimeseriesBuilder(), title, targets, o, [12, 8])
    .unit(o.unit)
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
  return basics(new StatBuilder(), title, targets, o, [4, 5])
    .unit(o.unit)
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Background)
    .thresholds(
      new ThresholdsConfigBuilder()
        .mode(ThresholdsMode.Absolute)
        .steps(o.steps ?? [{ value: null, color: 'blue' }]),
    );
}

export function table(title: string, targets: Builder<Dataquery>[], o: PanelOptions & { unit?: string }) {
  const panel = basics(new TableBuilder(), title, targets, o, [12, 8]).filterable(true);
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
