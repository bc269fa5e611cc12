// What the crash child records as it runs (one JSON object per line in its trace file), and the kill points
// it understands. Shared by the child and the parent; no imports, so the child's bundle stays small.

export type KillPoint =
  | { readonly kind: 'phase'; readonly n: number }
  | { readonly kind: 'rename-before'; readonly n: number }
  | { readonly kind: 'rename-after'; readonly n: number };

export type TraceEvent =
  | { readonly event: 'phase-start'; readonly phase: string }
  /** The nth `[phase] <path> done|skipped|already done` line. */
  | { readonly event: 'boundary'; readonly n: number; readonly phase: string; readonly status: string }
  /** The nth fs.renameSync, during `phase` (the last one started), host paths. */
  | {
    readonly event: 'rename'; readonly n: number; readonly phase: string; readonly from: string; readonly to: string;
    /** Nothing was written, made or removed since the previous rename. */
    readonly quiet: boolean;
  }
  /** Written just before the child SIGKILLs itself: the boundary or rename it stopped at. */
  | { readonly event: 'kill'; readonly point: KillPoint['kind']; readonly n: number; readonly phase: string; readonly from?: string; readonly to?: string; readonly status?: string; readonly quiet?: boolean }
  | { readonly event: 'exit'; readonly code: number };

export function killPointText(k: KillPoint): string {
  return `${k.kind}:${k.n}`;
}

export function parseKillPoint(text: string): KillPoint | undefined {
  if (text === '') return undefined;
  const m = /^(phase|rename-before|rename-after):(\d+)$/.exec(text);
  if (m === null) throw new Error(`CRASH_KILL: expected phase:N, rename-before:N or rename-after:N, got ${JSON.stringify(text)}`);
  return { kind: m[1] as KillPoint['kind'], n: Number(m[2]) };
}

export function parseTrace(text: string): TraceEvent[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TraceEvent);
}
