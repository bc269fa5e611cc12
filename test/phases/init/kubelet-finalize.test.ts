// init's kubelet-finalize phase: kubelet.conf's user switched to the kubelet's rotating certificate file and
// nothing else changed (checked by parsing, and by the real kubectl), mode 0600, the kubelet restarted; nothing
// at all when the file is absent; kubeadm's dry-run behaviour; a corrupt kubelet.conf named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CertificateError } from '../../../src/errors.js';
import { clientCertificateKubeconfig, encodeKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import { kubeletFinalize, pointUserAt } from '../../../src/phases/init/kubelet-finalize.js';
import type { InitConfig } from '../../../src/config/types.js';
import { fakeHost, type FakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { kubectlMissing, kubectlView } from '../../helpers/kubectl.js';
import { initConfig } from '../../preflight/healthy-host.js';

const conf = '/etc/kubernetes/kubelet.conf';
const pem = '/var/lib/kubelet/pki/kubelet-client-current.pem';
const pemText = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const keyText = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n';
const kubeletConf = encodeKubeconfig(clientCertificateKubeconfig(
  { clusterName: 'kubernetes', server: 'https://192.0.2.10:6443', caPem: pemText, user: 'system:node:node-1' }, pemText, keyText));

const systemd = { systemctl: {}, 'systemctl status kubelet': { stdout: 'Loaded: loaded' }, 'systemctl is-system-running': { stdout: 'running\n' } };
const hostWith = (o: { pem?: boolean; conf?: string; pemAt?: string } = {}): FakeHost => fakeHost({
  hostname: 'node-1', path: ['systemctl'], commands: systemd, kernelFiles: { '/proc/1/comm': 'systemd\n' },
  files: { [conf]: { content: o.conf ?? kubeletConf, mode: 0o600 }, ...(o.pem === false ? {} : { [o.pemAt ?? '/var/lib/kubelet/pki/kubelet-client-2025-01-01-00-00-00.pem']: pemText + keyText }) },
  ...(o.pem === false ? {} : { symlinks: { [o.pemAt ? `${path.posix.dirname(o.pemAt)}/kubelet-client-current.pem` : pem]: 'kubelet-client-2025-01-01-00-00-00.pem' } }),
});

async function run(host: FakeHost, o: { dryRun?: boolean; cfg?: InitConfig } = {}): Promise<CapturedOutput> {
  const out = captureOutput();
  const [, rotation] = kubeletFinalize.phases!;
  await rotation!.run!(initContext(o.cfg ?? initConfig(), host, out, { dryRun: o.dryRun ?? false }));
  return out;
}

const updateLine = '[kubelet-finalize] Updating "/etc/kubernetes/kubelet.conf" to point to a rotatable kubelet client certificate and key\n';

test('tree: kubelet-finalize with all and enable-client-cert-rotation', () => {
  assert.deepEqual(kubeletFinalize.phases!.map((p) => p.name), ['all', 'enable-client-cert-rotation']);
});

test('with the rotating certificate: only the user changes, the file stays 0600 and the kubelet restarts', async () => {
  const host = hostWith();
  const out = await run(host);
  assert.equal(out.stdout(), updateLine);
  const after = await host.fs.readText(conf);
  const before = parse(kubeletConf) as Record<string, unknown>;
  const doc = parse(after!) as Record<string, unknown>;
  assert.deepEqual(doc['users'], [{ name: 'system:node:node-1', user: { 'client-certificate': pem, 'client-key': pem } }]);
  assert.deepEqual({ ...doc, users: undefined }, { ...before, users: undefined });
  assert.equal((await host.fs.stat(conf))!.mode, 0o600);
  const execs = host.mutations.flatMap((m) => (m.action === 'exec' ? [m.argv.join(' ')] : []));
  assert.deepEqual(execs, ['systemctl daemon-reload', 'systemctl restart kubelet']);
});

test('the rewritten file reads back with kubectl: paths, no embedded credentials', { skip: kubectlMissing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-finalize-'));
  try {
    const file = path.join(dir, 'kubelet.conf');
    writeFileSync(file, pointUserAt(kubeletConf, conf, pem));
    const view = kubectlView(file) as unknown as { users: { user: Record<string, string> }[]; 'current-context': string };
    assert.deepEqual(view.users[0]!.user, { 'client-certificate': pem, 'client-key': pem });
    assert.equal(view['current-context'], 'system:node:node-1@kubernetes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fields tskubeadm does not model survive the rewrite', () => {
  const withExtra = kubeletConf.replace('kind: Config\n', 'kind: Config\npreferences:\n  colors: true\n');
  const doc = parse(pointUserAt(withExtra, conf, pem)) as Record<string, unknown>;
  assert.deepEqual(doc['preferences'], { colors: true });
});

test('no rotating certificate: nothing printed, nothing written, the kubelet left alone', async () => {
  const host = hostWith({ pem: false });
  const out = await run(host);
  assert.equal(out.stdout(), '');
  assert.deepEqual(host.mutations, []);
});

test('the kubelet\'s --cert-dir from kubeletExtraArgs is where the certificate is looked for', async () => {
  const host = hostWith({ pemAt: '/srv/kubelet-pki/kubelet-client-2025-01-01-00-00-00.pem' });
  const cfg = initConfig((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, kubeletExtraArgs: [{ name: 'cert-dir', value: '/srv/kubelet-pki' }] } } }));
  await run(host, { cfg });
  const user = ((parse((await host.fs.readText(conf))!) as { users: { user: Record<string, string> }[] }).users[0]!.user);
  assert.equal(user['client-certificate'], '/srv/kubelet-pki/kubelet-client-current.pem');
});

test('--dry-run prints kubeadm\'s line and changes nothing', async () => {
  const host = hostWith();
  const out = await run(host, { dryRun: true });
  assert.equal(out.stdout(), updateLine);
  assert.deepEqual(host.mutations, []);
});

test('a kubelet.conf whose current context names a missing user is refused, naming the file', async () => {
  const broken = kubeletConf.replace(/^- name: system:node:node-1\n  user:/m, '- name: someone-else\n  user:');
  await assert.rejects(run(hostWith({ conf: broken })), (err: unknown) =>
    err instanceof CertificateError && err.path === conf && /does not contain authentication for user "system:node:node-1"/.test(err.message));
  await assert.rejects(run(hostWith({ conf: kubeletConf.replace(/^current-context: .*$/m, 'current-context: ""') })), /no current context/);
});
