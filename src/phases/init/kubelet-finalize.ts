// init's kubelet-finalize phase: once the kubelet has written its rotating client certificate, point
// kubelet.conf's user at that file instead of the certificate kubeadm embedded, so the kubelet keeps working
// after the embedded one expires, then restart the kubelet. kubeadm: cmd/phases/init/kubeletfinalize.go.
import { parse } from 'yaml';
import { toGoYaml } from '../../config/encode.js';
import { CertificateError } from '../../errors.js';
import { parseKubeconfig } from '../../kubeconfig/kubeconfig.js';
import { controlService } from '../../kubelet/kubelet-service.js';
import { kubeletRunDir } from '../../kubelet/kubelet-paths.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

const tag = '[kubelet-finalize]';
/** kubeadm reads and writes this path whatever --kubeconfig-dir says: the kubelet's unit names it. */
export const kubeletKubeconfigPath = '/etc/kubernetes/kubelet.conf';
export const rotatingClientCertName = 'kubelet-client-current.pem';
const kubeconfigMode = 0o600;

const flags = ['config', 'cert-dir', 'dry-run'];

const enableClientCertRotation: Phase<InitContext> = {
  name: 'enable-client-cert-rotation',
  short: 'Enable kubelet client certificate rotation',
  long: `When the kubelet has written ${kubeletRunDir}/pki/${rotatingClientCertName} (or the same file under its --cert-dir), ` +
    `make the user of ${kubeletKubeconfigPath} use that file for its client certificate and key instead of the embedded ones, ` +
    'and restart the kubelet. Nothing else in the file changes. When the file is not there, rotation is taken to be off and ' +
    'nothing is done.',
  flags,
  run: async (ctx) => {
    const pemPath = `${kubeletPkiDir(ctx)}/${rotatingClientCertName}`;
    if ((await ctx.host.fs.stat(pemPath)) === undefined) {
      ctx.out.detail(1, `${tag} Assuming that kubelet client certificate rotation is disabled: ${pemPath} does not exist`);
      return;
    }
    ctx.out.detail(1, `${tag} Assuming that kubelet client certificate rotation is enabled: found "${pemPath}"`);
    ctx.out.info(`${tag} Updating "${kubeletKubeconfigPath}" to point to a rotatable kubelet client certificate and key`);
    if (ctx.dryRun) return; // kubeadm stops here under --dry-run
    const text = await ctx.host.fs.readText(kubeletKubeconfigPath);
    if (text === undefined) {
      throw new CertificateError(kubeletKubeconfigPath, `could not load "${kubeletKubeconfigPath}": the file does not exist`, {
        fix: 'write it with `tskubeadm init phase kubeconfig kubelet`, then run this phase again',
      });
    }
    await ctx.host.fs.write(kubeletKubeconfigPath, pointUserAt(text, kubeletKubeconfigPath, pemPath), { mode: kubeconfigMode });
    ctx.out.detail(1, `${tag} Restarting the kubelet to enable client certificate rotation`);
    const o = await controlService(ctx.host, 'kubelet', 'restart');
    if (o.initSystem === undefined) ctx.out.warn(`${tag} No supported init system detected, restart the kubelet yourself so it reads ${kubeletKubeconfigPath} again.`);
    else if (o.systemdNotRunning) ctx.out.warn(`${tag} systemd is not running here, restart the kubelet yourself so it reads ${kubeletKubeconfigPath} again.`);
    else if (o.failure !== undefined) ctx.out.warn(`${tag} WARNING: could not restart the kubelet: ${o.failure.message}`);
  },
};

export const kubeletFinalize: Phase<InitContext> = {
  name: 'kubelet-finalize',
  short: 'Updates settings relevant to the kubelet after TLS bootstrap',
  example: '# Update the kubelet settings after TLS bootstrap, as init does.\n' +
    'tskubeadm init phase kubelet-finalize all --config kubeadm-config.yaml',
  phases: [
    { name: 'all', short: 'Run all kubelet-finalize phases', selectsParent: true, flags },
    enableClientCertRotation,
  ],
};

/** The kubelet's certificate directory: its --cert-dir from kubeletExtraArgs (the last one wins), else <kubelet dir>/pki. */
function kubeletPkiDir(ctx: InitContext): string {
  const given = ctx.cfg.init.nodeRegistration.kubeletExtraArgs.filter((a) => a.name === 'cert-dir').at(-1)?.value;
  return (given ?? `${kubeletRunDir}/pki`).replace(/\/+$/, '');
}

/**
 * kubelet.conf with the current context's user reading its certificate and key from `pemPath` (the kubelet
 * writes both into that one file). The file is edited as a YAML document, so fields tskubeadm does not model
 * survive; it is written back in Go's layout (sorted keys), as clientcmd would.
 */
export function pointUserAt(text: string, path: string, pemPath: string): string {
  const k = parseKubeconfig(text, path); // throws CertificateError for a file that is not a kubeconfig
  const corrupt = (why: string) => new CertificateError(path, `${path} is not a valid kubeconfig: ${why}`, {
    fix: 'remove it and write it again with `tskubeadm init phase kubeconfig kubelet`',
  });
  if (k.currentContext === '') throw corrupt('it has no current context set');
  const context = k.contexts.find((c) => c.name === k.currentContext);
  if (context === undefined) throw corrupt(`"${k.currentContext}" is set as current-context, but not found in the context list`);
  if (context.user === '') throw corrupt('the current context names no user');
  const doc = parse(text) as Record<string, unknown>;
  const users = Array.isArray(doc['users']) ? doc['users'] as Record<string, unknown>[] : [];
  const entry = users.find((u) => typeof u === 'object' && u !== null && u['name'] === context.user);
  if (entry === undefined) throw corrupt(`it does not contain authentication for user "${context.user}"`);
  const user = typeof entry['user'] === 'object' && entry['user'] !== null ? { ...(entry['user'] as Record<string, unknown>) } : {};
  delete user['client-certificate-data'];
  delete user['client-key-data'];
  user['client-certificate'] = pemPath;
  user['client-key'] = pemPath;
  entry['user'] = user;
  return toGoYaml(doc);
}
