// Charts of a run: one small chart per outcome, the status quo and the policy year by year, each a
// line of means with a band of its 95% interval over replicates. ECharts, bundled.

import * as echarts from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { RunResult } from "./api";

echarts.use([LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export const chartOutcomes = [
  "deaths_true",
  "deaths_reported",
  "injuries_true",
  "injuries_reported",
  "accidents_concealed",
  "concealment_exposed",
  "cost",
  "formal_share",
  "turnover",
  "inspector_skill",
];

const colours: Record<string, string> = { status_quo: "#8c8c8c", policy: "#c0392b" };

type Point = [number | null, number | null, number | null];

function bandSeries(name: string, label: string, points: Point[]) {
  const colour = colours[name];
  const low = points.map((p) => p[1]);
  const width = points.map((p) => (p[1] === null || p[2] === null ? null : p[2] - p[1]));
  return [
    { name: `${label} low`, type: "line", data: low, stack: name, lineStyle: { opacity: 0 }, symbol: "none", silent: true, tooltip: { show: false } },
    { name: `${label} band`, type: "line", data: width, stack: name, lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: colour, opacity: 0.18 }, silent: true, tooltip: { show: false } },
    { name: label, type: "line", data: points.map((p) => p[0]), itemStyle: { color: colour }, lineStyle: { width: 2 }, symbolSize: 5 },
  ];
}

const live: echarts.ECharts[] = [];

export function drawCharts(
  container: HTMLElement,
  result: RunResult,
  title: (key: string) => string,
  names: Record<string, string>,
  yearWord: string,
): void {
  for (const chart of live.splice(0)) chart.dispose();
  container.replaceChildren();
  for (const key of chartOutcomes) {
    const row = result.outcomes.find((o) => o.key === key);
    const sq = result.series["status_quo"]?.[key];
    const policy = result.series["policy"]?.[key];
    if (!row || !sq || !policy) continue;
    const box = document.createElement("div");
    box.className = "chart";
    box.dataset.outcome = key;
    container.append(box);
    const chart = echarts.init(box, undefined, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: `${title(key)} [${row.unit}]`, textStyle: { fontSize: 13 }, left: 4 },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (typeof v === "number" ? v.toPrecision(3) : String(v)) },
      legend: { data: [names.status_quo, names.policy], bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 56, right: 12, top: 32, bottom: 44 },
      xAxis: { type: "category", data: sq.map((_, i) => `${i + 1}`), name: yearWord, nameGap: 4 },
      yAxis: { type: "value", scale: true, splitNumber: 4 },
      series: [...bandSeries("status_quo", names.status_quo, sq), ...bandSeries("policy", names.policy, policy)],
    });
    live.push(chart);
  }
}
