// Go's time.RFC3339, both ways: how metav1.Time and kubeadm print a time, and what time.Parse(time.RFC3339, …)
// accepts (bootstrap token `expires` in a config, a token Secret's `expiration`).

/** RFC 3339 in UTC, whole seconds: 2026-11-26T13:15:47Z. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const layout = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The time, or undefined where Go's parser refuses it: no date-only or free-form text, every field in range. */
export function parseRFC3339(s: string): Date | undefined {
  const m = layout.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second, zoneHour = 0, zoneMinute = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const inRange = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60 &&
    zoneHour < 24 && zoneMinute < 60;
  if (!inRange) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
