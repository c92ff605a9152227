// The server's JSON API (docs/trainer.md). The access token, when the server asks for one, comes
// from the address the server printed (?token=...) and goes with every request.

export type LeverValue = number | boolean | string;
export type Levers = Record<string, LeverValue>;

export interface Lever {
  key: string;
  type: "real" | "integer" | "boolean" | "choice";
  unit: string;
  default: LeverValue;
  min?: number;
  max?: number;
  choices?: string[];
  meaning: string;
}

export interface Budget {
  posts: number;
  wages_yuan_per_year: number;
  inspection_budget_yuan_per_year: number;
  grid_members: number;
  grid_yuan_per_year: number;
  reward_yuan_per_confirmed_report: number;
  total_yuan_per_year: number;
}

export interface Scenario {
  name: string;
  description: string;
  levers: Levers;
  values?: Levers;
  budget: Budget;
}

export interface Difference {
  scenario: string;
  difference: number | null;
  ci_low: number | null;  // the paired 95% interval, as `anjian compare --format json` names it
  ci_high: number | null;
}

export interface OutcomeRow {
  key: string;
  label: string;
  unit: string;
  mean: Record<string, number | null>;
  differences: Difference[];
}

export interface RunResult {
  replicates: number;
  years: number;
  outcomes: OutcomeRow[];
  cost_effectiveness: {
    scenario: string;
    cost_yuan_per_year: { difference: number | null; ci_low: number | null; ci_high: number | null };
    deaths_averted_per_year: { difference: number | null; ci_low: number | null; ci_high: number | null };
    yuan_per_death_averted: number | null;
    verdict: string;
  }[];
  // series[scenario][outcome] = [[mean, low, high] per year]
  series: Record<string, Record<string, [number | null, number | null, number | null][]>>;
  budget: Record<string, Budget>;
}

export interface RunStatus {
  id: string;
  state: "queued" | "running" | "done" | "failed" | "cancelled";
  progress: number;
  result?: RunResult;
  error?: string;
}

const token = new URLSearchParams(location.search).get("token") ?? sessionStorage.getItem("anjian-token") ?? "";
if (token) sessionStorage.setItem("anjian-token", token);

export class ApiError extends Error {}

export async function api<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (token) headers["X-Anjian-Token"] = token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new ApiError((data as { error?: string }).error ?? res.statusText);
  return data as T;
}

export function tokenQuery(): string {
  return token ? `token=${encodeURIComponent(token)}` : "";
}

// Polls a run until it ends; onProgress sees every status on the way.
export async function waitForRun(id: string, onProgress: (s: RunStatus) => void): Promise<RunStatus> {
  for (;;) {
    const status = await api<RunStatus>("GET", `/api/runs/${id}`);
    onProgress(status);
    if (status.state !== "queued" && status.state !== "running") return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
