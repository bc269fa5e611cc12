// Join commands and init's closing message against what a real kubeadm printed at the end of
// ../shared's init dry run (kubeadm replaced by tskubeadm), and the pins against its cluster-info CA.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CertificateError } from '../../src/errors.js';
import { closingMessage, initResult, type JoinSummary } from '../../src/tokens/closing-message.js';
import { joinCommand, joinTargetOf } from '../../src/tokens/join-command.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';
import { encodeJoinString } from '../../src/tokens/join-string.js';

const dryRunFile = 'reference/kubeadm-observed/init-dry-run.txt';
const skip = skipWithoutShared(dryRunFile);
const observed = () => readFileSync(sharedPath(dryRunFile), 'utf8');
const pin = 'sha256:c15a21ff7887dc7a9b7cc99b72e11363749895d36c96bae299084f000b62bf86';
const dryRunDir = '/etc/kubernetes/tmp/kubeadm-init-dryrun2777250489';

/** Everything kubeadm printed after its last phase line: the closing message. */
const observedTail = () => {
  const text = observed();
  const marker = '[addons] Applied essential addon: kube-proxy\n';
  return text.slice(text.indexOf(marker) + marker.length);
};

/** The cluster-info kubeconfig kubeadm would have created (its CA is the run's CA). */
function clusterInfoKubeconfig(): string {
  const lines = observed().split('\n');
  const at = lines.findIndex((l) => l.includes('Creating the "cluster-info" ConfigMap'));
  const start = at + 3;
  const doc = parse(lines.slice(start, lines.indexOf('', start)).join('\n')) as { data: { kubeconfig: string } };
  return doc.data.kubeconfig;
}

const input = { endpoint: 'cp.example.test:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [pin], program: 'kubeadm' };

describe('against kubeadm v1.35 (init-dry-run.txt)', { skip }, () => {
  test('the pin of the cluster CA (from cluster-info) is the one kubeadm printed, and the endpoint has no https://', async () => {
    const target = await joinTargetOf(clusterInfoKubeconfig(), 'cluster-info', () => Promise.resolve(undefined));
    assert.deepEqual(target.caCertHashes, [pin]);
    assert.equal(target.endpoint, 'cp.example.test:6443');
  });

  test('the worker and control-plane commands have kubeadm\'s layout, byte for byte', () => {
    const tail = observedTail();
    const worker = joinCommand({ ...input, controlPlane: false }).multiLine;
    const cp = joinCommand({ ...input, controlPlane: true }).multiLine;
    assert.ok(tail.endsWith(`\n\n${worker}\n`), `worker command:\n${JSON.stringify(worker)}`);
    assert.ok(tail.includes(`\n\n  ${cp}\n\n`), `control-plane command:\n${JSON.stringify(cp)}`);
  });

  test('the closing message is kubeadm\'s, with tskubeadm as the program', () => {
    const message = closingMessage({
      adminConfPath: `${dryRunDir}/admin.conf`,
      adminConfExportPath: '/etc/kubernetes/admin.conf',
      controlPlaneEndpointSet: true, uploadCerts: false,
      tokens: ['abcdef.0123456789abcdef'], endpoint: 'cp.example.test:6443', pins: [pin],
      certificateKey: '', skipTokenPrint: false, skipCertificateKeyPrint: false,
    });
    assert.equal(message, observedTail().replaceAll('kubeadm join', 'tskubeadm join'));
  });
});

describe('joinCommand', () => {
  test('a worker command: every pin followed by a space; one line without continuations or TABs', () => {
    const { multiLine, oneLine } = joinCommand({ ...input, program: 'tskubeadm', caCertHashes: ['sha256:aa', 'sha256:bb'], controlPlane: false });
    assert.equal(multiLine, 'tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef \\\n\t--discovery-token-ca-cert-hash sha256:aa --discovery-token-ca-cert-hash sha256:bb ');
    assert.equal(oneLine, 'tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:aa --discovery-token-ca-cert-hash sha256:bb ');
  });

  test('a control-plane command with a certificate key, and with the secrets withheld', () => {
    const key = 'ab'.repeat(32);
    const cp = joinCommand({ ...input, program: 'tskubeadm', controlPlane: true, certificateKey: key });
    assert.equal(cp.multiLine, `tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef \\\n\t--discovery-token-ca-cert-hash ${pin} \\\n\t--control-plane --certificate-key ${key}`);
    assert.equal(cp.oneLine, `tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key ${key}`);
    const hidden = joinCommand({ ...input, program: 'tskubeadm', controlPlane: true, certificateKey: key, withheld: { token: true, certificateKey: true } });
    assert.equal(hidden.oneLine, `tskubeadm join cp.example.test:6443 --token <value withheld> --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key <value withheld>`);
    // No key (certificates not uploaded): no --certificate-key at all, even when withheld.
    assert.equal(joinCommand({ ...input, program: 'tskubeadm', controlPlane: true, withheld: { certificateKey: true } }).oneLine.endsWith('--control-plane '), true);
  });
});

describe('closingMessage', () => {
  const base: JoinSummary = {
    adminConfPath: '/etc/kubernetes/admin.conf', controlPlaneEndpointSet: false, uploadCerts: false,
    tokens: ['abcdef.0123456789abcdef'], endpoint: '192.0.2.10:6443', pins: [pin],
    certificateKey: 'cd'.repeat(32), skipTokenPrint: false, skipCertificateKeyPrint: false,
  };

  test('without a controlPlaneEndpoint there is no control-plane block', () => {
    const m = closingMessage(base);
    assert.ok(m.startsWith('\nYour Kubernetes control-plane has initialized successfully!\n'));
    assert.ok(!m.includes('control-plane nodes') && !m.includes('--control-plane'));
    assert.ok(m.endsWith(`Then you can join any number of worker nodes by running the following on each as root:\n\n${joinCommand({ ...input, program: 'tskubeadm', controlPlane: false, endpoint: '192.0.2.10:6443' }).multiLine}\n`));
  });

  test('with --upload-certs: the other wording, the key in the command, and the three-line notice naming tskubeadm', () => {
    const m = closingMessage({ ...base, controlPlaneEndpointSet: true, uploadCerts: true });
    assert.ok(m.includes('You can now join any number of the control-plane node running the following command on each as root:\n\n  tskubeadm join '));
    assert.ok(m.includes(`\\\n\t--control-plane --certificate-key ${'cd'.repeat(32)}\n\n` +
      'Please note that the certificate-key gives access to cluster sensitive data, keep it secret!\n' +
      'As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use\n' +
      '"tskubeadm init phase upload-certs --upload-certs" to reload certs afterward.\n\nThen you can join'));
    assert.ok(!m.includes('by copying certificate authorities'));
  });

  test('the whole message once per token; withheld values read <value withheld>', () => {
    const m = closingMessage({ ...base, controlPlaneEndpointSet: true, uploadCerts: true, tokens: ['abcdef.0123456789abcdef', 'ghijkl.0123456789abcdef'], skipTokenPrint: true, skipCertificateKeyPrint: true });
    assert.equal(m.split('Your Kubernetes control-plane has initialized successfully!').length, 3);
    assert.ok(!m.includes('0123456789abcdef') && !m.includes('cd'.repeat(32)));
    assert.equal(m.split('--token <value withheld>').length, 5);
    assert.ok(m.includes('--certificate-key <value withheld>'));
  });

  test('initResult: the same facts as one object', () => {
    const js = (token: string) => encodeJoinString({ endpoint: '192.0.2.10:6443', token, caCertHashes: [pin] });
    const r = initResult({ ...base, controlPlaneEndpointSet: true, uploadCerts: true, tokens: ['abcdef.0123456789abcdef', 'ghijkl.0123456789abcdef'] }, {
      tokenExpires: ['2030-01-02T00:00:00Z', undefined], certificateKeyExpires: '2030-01-01T02:00:00Z',
    });
    assert.deepEqual(r, {
      kind: 'InitResult', apiVersion: 'output.tskubeadm.io/v1alpha1', controlPlaneEndpoint: '192.0.2.10:6443',
      adminKubeconfig: '/etc/kubernetes/admin.conf', caCertHashes: [pin],
      bootstrapTokens: [
        { id: 'abcdef', token: 'abcdef.0123456789abcdef', expires: '2030-01-02T00:00:00Z', joinString: js('abcdef.0123456789abcdef') },
        { id: 'ghijkl', token: 'ghijkl.0123456789abcdef', expires: null, joinString: js('ghijkl.0123456789abcdef') },
      ],
      certificateKey: 'cd'.repeat(32), certificateKeyExpires: '2030-01-01T02:00:00Z',
      joinCommands: {
        worker: `tskubeadm join 192.0.2.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin}`,
        controlPlane: `tskubeadm join 192.0.2.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key ${'cd'.repeat(32)}`,
      },
    });
    const hidden = initResult({ ...base, skipTokenPrint: true, skipCertificateKeyPrint: true, uploadCerts: true }, { tokenExpires: [undefined] });
    assert.deepEqual(hidden.bootstrapTokens, [{ id: 'abcdef', expires: null }]);
    assert.equal('certificateKey' in hidden, false);
    assert.equal(hidden.joinCommands?.controlPlane, null);
    assert.equal(initResult({ ...base, tokens: [] }, { tokenExpires: [] }).joinCommands, null);
  });
});

describe('joinTargetOf', () => {
  const kubeconfig = (cluster: Record<string, string>) =>
    `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n${Object.entries(cluster).map(([k, v]) => `    ${k}: ${v}\n`).join('')}` +
    'contexts:\n- name: a@k\n  context:\n    cluster: k\n    user: a\ncurrent-context: a@k\nusers: []\n';

  test('a CA referenced by path is read with the given reader', { skip }, async () => {
    const caData = /certificate-authority-data: (\S+)/.exec(clusterInfoKubeconfig())![1]!;
    const caPem = Buffer.from(caData, 'base64').toString();
    const target = await joinTargetOf(kubeconfig({ server: 'https://[fd00::1]:6443', 'certificate-authority': '/pki/ca.crt' }), '/x.conf',
      async (p) => (p === '/pki/ca.crt' ? caPem : undefined));
    assert.deepEqual(target, { endpoint: '[fd00::1]:6443', caCertHashes: [pin] });
  });

  test('no CA at all, a missing CA file or no current cluster is a CertificateError naming the file', async () => {
    await assert.rejects(joinTargetOf(kubeconfig({ server: 'https://h:6443' }), '/x.conf', async () => undefined),
      (e: unknown) => e instanceof CertificateError && /no CA certificates found in \/x\.conf/.test(e.message));
    await assert.rejects(joinTargetOf(kubeconfig({ server: 'https://h:6443', 'certificate-authority': '/nope' }), '/x.conf', async () => undefined),
      (e: unknown) => e instanceof CertificateError && e.path === '/nope');
    await assert.rejects(joinTargetOf(kubeconfig({ server: 'https://h:6443' }).replace('current-context: a@k', 'current-context: other'), '/x.conf', async () => undefined),
      (e: unknown) => e instanceof CertificateError && /no current cluster/.test(e.message));
  });
});
