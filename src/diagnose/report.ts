// The two faces of a diagnosis: a short printed summary (likely causes, fixes, where the evidence is)
// and the support file with everything collected, to read or attach to a bug report.
import type { LikelyCause } from './causes.js';
import type { CommandRun, Evidence } from './evidence.js';
import { shellWords } from '../output/shell-words.js';

export const diagnosticsDir = '/var/lib/tskubeadm/diagnostics';

/** /var/lib/tskubeadm/diagnostics/<what>-20250101T000000Z.txt, in UTC. */
export function supportFilePath(what: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll('-', '').replaceAll(':', '');
  return `${diagnosticsDir}/${what}-${stamp}.txt`;
}

/** Longest output kept per command: journals and crictl info can be long. */
const maxOutputChars = 64 * 1024;

function commandSection(run: CommandRun): string[] {
  const head = `$ ${shellWords(run.argv)}`;
  if (run.missing) return [head, `(not run: ${run.stderr || `${run.argv[0] ?? ''} is not installed`})`];
  const status = run.timedOut ? 'timed out' : `exit ${run.exitCode}`;
  const body = [run.stdout.trimEnd(), run.stderr.trimEnd()].filter((t) => t !== '').join('\n');
  const cut = body.length > maxOutputChars ? `…(first ${body.length - maxOutputChars} characters cut)\n${body.slice(-maxOutputChars)}` : body;
  return [`${head}   (${status})`, cut === '' ? '(no output)' : cut];
}

function causeLines(likely: readonly LikelyCause[], indent: string): string[] {
  return likely.flatMap(({ cause, seen }) => [
    `${indent}- ${cause.title} [${cause.id}]`,
    ...seen.map((s) => `${indent}    seen: ${s}`),
    `${indent}    fix: ${cause.fix}`,
  ]);
}

export function supportFileText(e: Evidence, likely: readonly LikelyCause[]): string {
  const lines: string[] = [
    'tskubeadm: why the control plane did not become healthy',
    `collected: ${e.collectedAt.toISOString()}`,
    `not healthy in time: ${e.unhealthy.join(', ')}`,
    '',
    '== Likely causes ==',
    ...(likely.length > 0 ? causeLines(likely, '') : ['none of the known causes matched; the evidence below is all there is']),
    '',
    '== Health endpoints (probed again while collecting) ==',
    ...e.probes.flatMap((p) => {
      const r = p.result;
      const verdict = r.healthy ? `healthy (HTTP ${r.status})` : r.summary;
      return [`${p.name}  ${p.url}  ${verdict}`, ...(!r.healthy && r.body !== undefined ? r.body.split('\n').map((l) => `    ${l}`) : [])];
    }),
    '',
    '== Kubelet ==',
    `kubelet on PATH: ${e.kubelet.installed ? 'yes' : 'no'}`,
    `configured cgroup driver: ${e.kubelet.cgroupDriver}; failSwapOn: ${e.kubelet.failSwapOn}`,
    ...commandSection(e.kubelet.isActive),
    ...commandSection(e.kubelet.status),
    ...commandSection(e.kubelet.journal),
    '',
    '== Container runtime ==',
    `CRI endpoint: ${e.runtime.endpoint}`,
    e.runtime.socket === undefined
      ? 'socket: not a unix socket, not checked'
      : `socket ${e.runtime.socket.path}: ${e.runtime.socket.result.ok ? 'accepts connections' : `no connection (${e.runtime.socket.result.code})`}`,
    `runtime cgroup driver: ${e.runtime.cgroupDriver === undefined ? 'unknown' : `${e.runtime.cgroupDriver} (from ${e.runtime.cgroupDriverSource ?? '?'})`}`,
    ...commandSection(e.containers.list),
    '',
    '== Logs of the exited control-plane containers ==',
    ...(e.containers.logs.length === 0 ? ['(none exited)'] : e.containers.logs.flatMap((l) => [`-- ${l.container.name} (${l.container.id})`, ...commandSection(l.run)])),
    '',
    '== Swap ==',
    e.swap.text === undefined ? '/proc/swaps: unreadable' : e.swap.devices.length === 0 ? 'swap: off' : `swap: on (${e.swap.devices.join(', ')})`,
    '',
    '== Ports ==',
    ...(e.ports.length === 0 ? ['(none checked)'] : e.ports.map((p) => `${p.port} (${p.owner}): ${p.inUse ? 'in use' : 'free'}`)),
    '',
    '== Container runtime info ==',
    ...commandSection(e.runtime.info),
    '',
  ];
  return lines.join('\n');
}

/** What is printed: the likely causes with their fixes, then where the full evidence is. */
export function summaryLines(what: string, likely: readonly LikelyCause[], criSocket: string, evidenceAt: string | undefined): string[] {
  const tag = `[${what}]`;
  const head = likely.length === 0
    ? [
        `${tag} None of the known causes matched. Look at the kubelet ("systemctl status kubelet", "journalctl -xeu kubelet")`,
        `${tag} and the containers ("crictl --runtime-endpoint ${criSocket} ps -a | grep kube | grep -v pause", then "crictl --runtime-endpoint ${criSocket} logs CONTAINERID")`,
      ]
    : [`${tag} ${likely.length === 1 ? 'Likely cause' : 'Likely causes'}:`, ...causeLines(likely.map((l) => ({ ...l, seen: l.seen.slice(0, 2) })), '  ')];
  const where = evidenceAt === undefined ? [] : [`${tag} The evidence (kubelet state and journal, containers and their logs, health probes, swap, ports) is in ${evidenceAt}`];
  return [...head, ...where];
}
