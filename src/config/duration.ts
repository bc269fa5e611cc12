// Go durations ("24h0m0s", "1.5s", "500ms") as kubeadm reads and writes them in its
// config (metav1.Duration). Kept in milliseconds in memory; sub-millisecond parts are
// rounded, which no kubeadm field needs.

const unitMs: Readonly<Record<string, number>> = Object.freeze({
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
});

/** Milliseconds of a Go duration string, or undefined when Go's time.ParseDuration would refuse it. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (m === null) return undefined;
    const [all, whole = '', frac] = m;
    // Go needs at least one digit on either side of the dot.
    if (whole === '' && (frac === undefined || frac === '')) return undefined;
    const value = Number(`${whole === '' ? '0' : whole}.${frac ?? '0'}`);
    total += value * (unitMs[m[3]!] ?? Number.NaN);
    s = s.slice(all.length);
  }
  if (!Number.isFinite(total)) return undefined;
  return sign * Math.round(total);
}

/** Go's Duration.String() of a whole number of milliseconds: 86400000 → "24h0m0s", 500 → "500ms", 0 → "0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  let out: string;
  if (rest < 1000) {
    out = `${rest}ms`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const secs = Math.floor(rest / 1000);
    const milli = rest - secs * 1000;
    const frac = milli === 0 ? '' : `.${String(milli).padStart(3, '0').replace(/0+$/, '')}`;
    out = `${secs}${frac}s`;
    if (h > 0) out = `${h}h${m}m${out}`;
    else if (m > 0) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}
