// Where to kill, read off an uninterrupted run's trace: after every phase boundary, and just before and just after
// every rename (atomic write) inside the chosen phases. "Just after" a rename that is followed by a boundary, or by
// another rename with no disk change in between (a key and its certificate are staged together, then renamed),
// leaves the same disk as that next point, so it is not tried twice.
import type { KillPoint, TraceEvent } from './trace.js';

export interface PlannedKill {
  readonly point: KillPoint;
  /** Where the child must report dying: the phase, and for a rename its target (host path). */
  readonly phase: string;
  readonly target?: string;
  /** For test names and reports: `after certs/ca`, `before rename of /etc/kubernetes/pki/ca.crt (certs/ca)`. */
  readonly label: string;
}

export function planKillPoints(trace: readonly TraceEvent[], midPhase: (phase: string) => boolean): PlannedKill[] {
  const events = trace.filter((e) => e.event === 'boundary' || e.event === 'rename');
  const out: PlannedKill[] = [];
  events.forEach((e, i) => {
    if (e.event === 'boundary') {
      out.push({ point: { kind: 'phase', n: e.n }, phase: e.phase, label: `after phase ${e.phase} (${e.status})` });
      return;
    }
    if (e.event !== 'rename' || !midPhase(e.phase)) return;
    out.push({ point: { kind: 'rename-before', n: e.n }, phase: e.phase, target: e.to, label: `before rename #${e.n} → ${e.to} (${e.phase})` });
    const next = events[i + 1];
    // Same disk as the boundary that follows, or as "just before" the next rename when nothing changed in between.
    if (next !== undefined && next.event !== 'boundary' && !(next.event === 'rename' && next.quiet && midPhase(next.phase))) {
      out.push({ point: { kind: 'rename-after', n: e.n }, phase: e.phase, target: e.to, label: `after rename #${e.n} → ${e.to} (${e.phase})` });
    }
  });
  return out;
}

/** The `[WARNING Name]` checks a run's preflight reported. */
export function preflightWarnings(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^\s*\[WARNING ([^\]]+)\]/gm)].map((m) => m[1]!))].sort();
}
