// The script cloud-init's runcmd starts at first boot. Its body is fixed text; only the
// settings block at the top varies, each value single-quoted for the shell, so nothing the
// user passes (a URL, a path) can change what the script does. Secrets never appear here:
// the token and certificate key stay in the 0600 config file the script names.
import { shellQuote } from '../output/shell-words.js';

export interface BootstrapSettings {
  /** The tskubeadm command to run. */
  readonly command: 'init' | 'join';
  /** init only: add --upload-certs (the config sets a certificateKey). */
  readonly uploadCerts: boolean;
  readonly configPath: string;
  /** Where the tskubeadm executable is, or is installed to. */
  readonly binPath: string;
  /** Download tskubeadm from here first; undefined: it must already be at binPath. */
  readonly installFrom: string | undefined;
  readonly sentinelPath: string;
  readonly logPath: string;
}

/** Exit code of the script when tskubeadm could not be installed or found: the shell's "command not found". */
export const notInstalledExitCode = 127;

export function bootstrapScript(s: BootstrapSettings): string {
  const settings: [string, string][] = [
    ['command', s.command],
    ['upload_certs', String(s.uploadCerts)],
    ['config', s.configPath],
    ['bin', s.binPath],
    ['install_from', s.installFrom ?? ''],
    ['sentinel', s.sentinelPath],
    ['log', s.logPath],
  ];
  return [
    '#!/usr/bin/env bash',
    '# Written by `tskubeadm config cloud-init`; cloud-init runs it once, at first boot.',
    '# Running it again by hand is safe: tskubeadm init and join resume where an earlier run stopped.',
    'set -Eeuo pipefail',
    '',
    ...settings.map(([name, value]) => `readonly ${name}=${shellQuote(value)}`),
    body,
  ].join('\n');
}

// Every way out reports: tskubeadm's own exit code, 127 when it cannot be installed, or the
// failing command's code (ERR trap). TSKUBEADM_CONSOLE lets tests catch the console line.
const body = String.raw`readonly console="${'$'}{TSKUBEADM_CONSOLE:-/dev/console}"
umask 077

say() {
  printf '%s tskubeadm-bootstrap: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$log"
}

fail() {
  local code=$1
  shift
  trap - ERR
  if (($# > 0)); then say "$*" >&2 || true; fi
  local line="tskubeadm bootstrap FAILED (exit $code): see $log"
  printf '%s\n' "$line" >&2
  { printf '%s\n' "$line" >>"$console"; } 2>/dev/null || true
  exit "$code"
}

trap 'fail "$?" "unexpected failure at line $LINENO"' ERR

mkdir -p "$(dirname "$log")" "$(dirname "$sentinel")"
say "starting: tskubeadm $command"

if [[ -n $install_from ]]; then
  mkdir -p "$(dirname "$bin")"
  tmp=$(mktemp "$(dirname "$bin")/.tskubeadm.XXXXXX")
  if ! curl -fsSL --retry 5 --retry-delay 2 --retry-connrefused -o "$tmp" "$install_from" 2>>"$log"; then
    rm -f "$tmp"
    fail 127 "could not download tskubeadm from $install_from"
  fi
  chmod 0755 "$tmp"
  mv -f "$tmp" "$bin"
  say "installed $bin from $install_from"
fi
if [[ ! -x $bin ]]; then
  fail 127 "no executable tskubeadm at $bin"
fi

args=("$command" --config "$config" --log-format json)
if [[ $command == init ]]; then
  # The closing message would print the join token and certificate key to the console.
  args+=(--skip-token-print --skip-certificate-key-print)
  if [[ $upload_certs == true ]]; then args+=(--upload-certs); fi
fi

rc=0
"$bin" "${'$'}{args[@]}" 2>&1 | tee -a "$log" || rc=${'$'}{PIPESTATUS[0]}
if ((rc != 0)); then
  fail "$rc" "tskubeadm $command exited with $rc"
fi

echo success >"$sentinel"
say "done: tskubeadm $command succeeded; wrote $sentinel"
`;
