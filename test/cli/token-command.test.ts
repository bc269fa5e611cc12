// `tskubeadm token …` through the whole CLI in-process, against an in-memory API: what is created,
// listed and deleted, what is printed, and that bad input is refused before any request is made.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ApiClient } from '../../src/api/client.js';
import type { ConnectOptions } from '../../src/api/connect.js';
import type { KubeObject } from '../../src/api/objects.js';
import { decodedSecretData } from '../../src/api/secret-data.js';
import { exitCodes } from '../../src/errors.js';
import { decodeJoinString } from '../../src/tokens/join-string.js';
import { bootstrapTokenSecret } from '../../src/tokens/token-secret.js';
import { fakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { memoryApi, type MemoryApi } from '../helpers/memory-api.js';
import { openssl } from '../helpers/openssl.js';
import { runCli } from './run-cli.js';

const now = new Date('2025-01-01T00:00:00Z');
const token = 'abcdef.0123456789abcdef';

/** A CA made by openssl, and its pin computed from openssl's SPKI. */
const caPem = openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null',
  '-subj', '/CN=kubernetes', '-days', '1']);
const spki = openssl(['x509', '-pubkey', '-noout'], caPem);
const pin = `sha256:${createHash('sha256').update(Buffer.from(spki.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')).digest('hex')}`;
const adminConf = 'apiVersion: v1\nkind: Config\nclusters:\n- name: kubernetes\n  cluster:\n' +
  `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}\n    server: https://cp.example.test:6443\n` +
  'contexts:\n- name: kubernetes-admin@kubernetes\n  context:\n    cluster: kubernetes\n    user: kubernetes-admin\n' +
  'current-context: kubernetes-admin@kubernetes\nusers:\n- name: kubernetes-admin\n  user: {}\n';

interface Harness {
  readonly api: MemoryApi;
  readonly connects: ConnectOptions[];
  run(argv: string[]): ReturnType<typeof runCli>;
}

function harness(spec: FakeHostSpec = {}): Harness {
  const api = memoryApi();
  const connects: ConnectOptions[] = [];
  const host = fakeHost({ now, files: { '/etc/kubernetes/admin.conf': adminConf }, ...spec });
  const connectApi = (o: ConnectOptions) => {
    connects.push(o);
    return (): Promise<ApiClient> => Promise.resolve(api);
  };
  return { api, connects, run: (argv) => runCli(['token', ...argv], { host, connectApi }) };
}

const data = (s: KubeObject | undefined): Record<string, string> => (s === undefined ? {} : decodedSecretData(s));

describe('token create', () => {
  test('no arguments: a random token with kubeadm\'s defaults (24h, both usages, the default group)', async () => {
    const h = harness();
    const r = await h.run(['create']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
    const [id, secret] = r.stdout.trim().split('.');
    assert.deepEqual(data(h.api.stored('Secret', `bootstrap-token-${id}`, 'kube-system')), {
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
      expiration: '2025-01-02T00:00:00Z',
      'token-id': id,
      'token-secret': secret,
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
    });
    assert.equal(h.api.stored('Secret', `bootstrap-token-${id}`, 'kube-system')?.type, 'bootstrap.kubernetes.io/token');
    assert.deepEqual(h.api.requests.map((q) => q.verb), ['create']);
    assert.equal(h.connects[0]?.kubeconfigPath, '/etc/kubernetes/admin.conf');
    assert.equal(h.connects[0]?.dryRun, false);
  });

  test('the given token, --ttl, --usages, --groups and --description', async () => {
    const h = harness();
    const r = await h.run(['create', token, '--ttl', '2h30m', '--usages', 'authentication', '--usages', 'signing',
      '--groups', 'system:bootstrappers:ci,system:bootstrappers:lab', '--description', 'for CI']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${token}\n`);
    assert.deepEqual(data(h.api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system')), {
      'auth-extra-groups': 'system:bootstrappers:ci,system:bootstrappers:lab',
      description: 'for CI',
      expiration: '2025-01-01T02:30:00Z',
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
    });
  });

  test('--ttl 0: a token that never expires (no expiration key)', async () => {
    const h = harness();
    assert.equal((await h.run(['create', token, '--ttl', '0'])).code, 0);
    assert.equal('expiration' in data(h.api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system')), false);
  });

  test('--print-join-command: the one-line worker command, endpoint and pin from the kubeconfig', async () => {
    const h = harness();
    const r = await h.run(['create', token, '--print-join-command']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `tskubeadm join cp.example.test:6443 --token ${token} --discovery-token-ca-cert-hash ${pin} \n`);
  });

  test('--print-join-command --certificate-key: the control-plane command; --kubeconfig names the file', async () => {
    const key = 'ab'.repeat(32);
    const h = harness({ files: { '/root/admin.conf': adminConf } });
    const r = await h.run(['create', token, '--print-join-command', '--certificate-key', key, '--kubeconfig', '/root/admin.conf']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `tskubeadm join cp.example.test:6443 --token ${token} --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key ${key}\n`);
    assert.equal(h.connects[0]?.kubeconfigPath, '/root/admin.conf');
  });

  test('-o json: one object with the token, its expiry and the join command when asked', async () => {
    const h = harness();
    const r = await h.run(['create', token, '-o', 'json', '--print-join-command', '--description', '<lab> & co']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('\\u003clab\\u003e \\u0026 co'), 'Go escapes <, > and & in JSON strings');
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(printed, {
      kind: 'BootstrapToken', apiVersion: 'output.tskubeadm.io/v1alpha1', token, id: 'abcdef',
      expires: '2025-01-02T00:00:00Z', usages: ['signing', 'authentication'],
      groups: ['system:bootstrappers:kubeadm:default-node-token'], description: '<lab> & co',
      joinCommand: `tskubeadm join cp.example.test:6443 --token ${token} --discovery-token-ca-cert-hash ${pin} `,
      joinString: printed['joinString'],
    });
    // The join string carries what the command does, the CA pin included.
    assert.deepEqual(decodeJoinString(String(printed['joinString'])), { endpoint: 'cp.example.test:6443', token, caCertHashes: [pin] });
  });

  test('a token ID that already exists is refused with kubeadm\'s message, and nothing is printed', async () => {
    const h = harness();
    h.api.seed(bootstrapTokenSecret({ token: 'abcdef.ffffffffffffffff', ttlMs: 0, usages: [], groups: [] }, now));
    const r = await h.run(['create', token]);
    assert.equal(r.code, exitCodes.api);
    assert.match(r.stderr, /a token with id "abcdef" already exists/);
    assert.equal(r.stdout, '');
    assert.equal(data(h.api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system'))['token-secret'], 'ffffffffffffffff');
  });

  test('--config: every token of the file is created, the first is printed, its timeout is used', async () => {
    const config = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\ntimeouts:\n  kubernetesAPICall: 30s\nbootstrapTokens:\n' +
      `- token: ${token}\n  ttl: 1h\n- token: ghijkl.0123456789abcdef\n  usages: [signing]\n  groups: []\n`;
    const h = harness({ files: { '/etc/kubernetes/admin.conf': adminConf, '/cfg.yaml': config } });
    const r = await h.run(['create', '--config', '/cfg.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${token}\n`);
    assert.equal(data(h.api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system')).expiration, '2025-01-01T01:00:00Z');
    assert.deepEqual(Object.keys(data(h.api.stored('Secret', 'bootstrap-token-ghijkl', 'kube-system'))).sort(),
      ['expiration', 'token-id', 'token-secret', 'usage-bootstrap-signing']);
    assert.equal(h.connects[0]?.timeoutMs, 30_000);
  });

  const refused: [string, string[], number, RegExp][] = [
    ['a malformed token', ['create', 'abcdef.0123'], exitCodes.invalidInput, /the bootstrap token "abcdef\.0123" was not of the form/],
    ['an unknown usage', ['create', '--usages', 'signing,authentication,mining'], exitCodes.invalidInput,
      /--usages: invalid bootstrap token usage string: mining, valid usage options: signing,authentication/],
    ['a bad group', ['create', '--groups', 'system:masters'], exitCodes.invalidInput, /--groups: bootstrap group "system:masters" is invalid \(must match/],
    ['groups without the authentication usage', ['create', '--usages', 'signing'], exitCodes.invalidInput,
      /token groups cannot be specified unless --usages includes "authentication"/],
    ['a ttl that is not a duration', ['create', '--ttl', '1day'], exitCodes.usage, /invalid argument "1day" for "--ttl" flag/],
    ['a negative ttl', ['create', '--ttl', '-1h'], exitCodes.invalidInput, /--ttl: "-1h" is negative/],
    ['--certificate-key without --print-join-command', ['create', '--certificate-key', 'ab'.repeat(32)], exitCodes.usage,
      /cannot use --certificate-key without --print-join-command/],
    ['a certificate key that is not 64 hex characters', ['create', '--print-join-command', '--certificate-key', 'xyz'], exitCodes.invalidInput,
      /--certificate-key: the certificate key must be 64 hexadecimal characters/],
    ['--config mixed with token flags', ['create', '--config', '/cfg.yaml', '--ttl', '1h', '--usages', 'signing'], exitCodes.usage,
      /can not mix '--config' with arguments \[ttl usages\]/],
    ['an unknown output format', ['create', '-o', 'xml'], exitCodes.usage, /'xml' is invalid\. Allowed choices are text, json, yaml/],
  ];
  for (const [what, argv, code, message] of refused) {
    test(`${what}: refused with its message, and no request is made`, async () => {
      const h = harness();
      const r = await h.run(argv);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
      assert.deepEqual(h.api.requests, []);
      assert.deepEqual(h.connects, [], 'the cluster is not even connected to');
    });
  }

  test('--print-join-command with an unusable kubeconfig creates nothing', async () => {
    const h = harness({ files: { '/bad.conf': 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\ncurrent-context: x\n' } });
    const r = await h.run(['create', token, '--print-join-command', '--kubeconfig', '/bad.conf']);
    assert.equal(r.code, exitCodes.invalidInput);
    assert.match(r.stderr, /\/bad\.conf has no current cluster/);
    assert.deepEqual(h.api.requests, []);
  });
});

describe('token list', () => {
  const seeded = (): Harness => {
    const h = harness();
    h.api.seed(bootstrapTokenSecret({ token, ttlMs: 23.5 * 3600_000, usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] }, now));
    h.api.seed(bootstrapTokenSecret({ token: 'ghijkl.0123456789abcdef', ttlMs: 0, usages: ['signing'], groups: [], description: 'lab nodes' }, now));
    // A Secret of the token type that is no token: reported and skipped.
    h.api.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-zzzzzz', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token', data: {} });
    // Not a token Secret at all: the field selector leaves it out.
    h.api.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'kube-system' }, type: 'Opaque', data: {} });
    return h;
  };

  test('text: kubeadm\'s table; a bad token Secret goes to stderr', async () => {
    const h = seeded();
    const r = await h.run(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout,
      'TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION                                                EXTRA GROUPS\n' +
      'abcdef.0123456789abcdef   23h         2025-01-01T23:30:00Z   authentication,signing   <none>                                                     system:bootstrappers:kubeadm:default-node-token\n' +
      'ghijkl.0123456789abcdef   <forever>   <never>                signing                  lab nodes                                                  <none>\n');
    assert.equal(r.stderr, 'bootstrap Token Secret has no token-id data: bootstrap-token-zzzzzz\n');
    assert.deepEqual(h.api.requests, [{ verb: 'list', kind: 'Secret', namespace: 'kube-system', body: { fieldSelector: 'type=bootstrap.kubernetes.io/token' } }]);
  });

  test('json: one output.kubeadm.k8s.io/v1alpha3 BootstrapToken per token, 4-space indented', async () => {
    const r = await seeded().run(['list', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const objects = r.stdout.split(/(?<=^\})\n/m).filter((s) => s.trim() !== '').map((s) => JSON.parse(s) as unknown);
    assert.deepEqual(objects, [
      { kind: 'BootstrapToken', apiVersion: 'output.kubeadm.k8s.io/v1alpha3', token, expires: '2025-01-01T23:30:00Z',
        usages: ['authentication', 'signing'], groups: ['system:bootstrappers:kubeadm:default-node-token'] },
      { kind: 'BootstrapToken', apiVersion: 'output.kubeadm.k8s.io/v1alpha3', token: 'ghijkl.0123456789abcdef', description: 'lab nodes', usages: ['signing'] },
    ]);
    assert.ok(r.stdout.startsWith('{\n    "kind": "BootstrapToken",\n    "apiVersion": "output.kubeadm.k8s.io/v1alpha3",\n'));
  });

  test('yaml: the same objects, keys sorted, documents separated by ---', async () => {
    const r = await seeded().run(['list', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout,
      'apiVersion: output.kubeadm.k8s.io/v1alpha3\nexpires: "2025-01-01T23:30:00Z"\ngroups:\n- system:bootstrappers:kubeadm:default-node-token\n' +
      'kind: BootstrapToken\ntoken: abcdef.0123456789abcdef\nusages:\n- authentication\n- signing\n' +
      '---\napiVersion: output.kubeadm.k8s.io/v1alpha3\ndescription: lab nodes\nkind: BootstrapToken\ntoken: ghijkl.0123456789abcdef\nusages:\n- signing\n');
  });

  test('no tokens: nothing at all, as kubeadm', async () => {
    const r = await harness().run(['list']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
  });

  test('--dry-run and --kubeconfig given before the subcommand reach the connector; $KUBECONFIG is searched first', async () => {
    const h = harness({ files: { '/etc/kubernetes/admin.conf': adminConf, '/home/me/cluster.conf': adminConf }, env: { KUBECONFIG: '/missing.conf:/home/me/cluster.conf', HOME: '/home/me' } });
    assert.equal((await h.run(['--dry-run', 'list'])).code, 0);
    assert.deepEqual([h.connects[0]?.dryRun, h.connects[0]?.kubeconfigPath], [true, '/home/me/cluster.conf']);
    assert.equal((await h.run(['--kubeconfig', '/x.conf', 'list', '--dry-run'])).code, 0);
    assert.deepEqual([h.connects[1]?.dryRun, h.connects[1]?.kubeconfigPath], [true, '/x.conf']);
  });
});

describe('token delete', () => {
  test('by ID and by whole token, one line each', async () => {
    const h = harness();
    h.api.seed(bootstrapTokenSecret({ token, ttlMs: 0, usages: [], groups: [] }, now));
    h.api.seed(bootstrapTokenSecret({ token: 'ghijkl.0123456789abcdef', ttlMs: 0, usages: [], groups: [] }, now));
    const r = await h.run(['delete', 'abcdef', 'ghijkl.0123456789abcdef']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'bootstrap token "abcdef" deleted\nbootstrap token "ghijkl" deleted\n');
    assert.deepEqual(h.api.all('Secret'), []);
  });

  test('a token that does not exist is an error naming it', async () => {
    const r = await harness().run(['delete', 'abcdef']);
    assert.equal(r.code, exitCodes.api);
    assert.match(r.stderr, /failed to delete bootstrap token "abcdef": secrets "bootstrap-token-abcdef" not found/);
  });

  test('no argument, or a malformed one anywhere in the list: refused before any deletion', async () => {
    const none = harness();
    const r1 = await none.run(['delete']);
    assert.equal(r1.code, exitCodes.usage);
    assert.match(r1.stderr, /missing argument; 'token delete' is missing token of form/);
    const bad = harness();
    bad.api.seed(bootstrapTokenSecret({ token, ttlMs: 0, usages: [], groups: [] }, now));
    const r2 = await bad.run(['delete', 'abcdef', 'not-a-token']);
    assert.equal(r2.code, exitCodes.invalidInput);
    assert.match(r2.stderr, /given token didn't match pattern/);
    assert.deepEqual(bad.api.requests, []);
    assert.equal(bad.api.all('Secret').length, 1);
  });
});

test('token generate prints a new random token each time and needs no cluster', async () => {
  const h = harness();
  const a = await h.run(['generate']);
  const b = await h.run(['generate']);
  assert.equal(a.code, 0);
  assert.match(a.stdout, /^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
  assert.notEqual(a.stdout, b.stdout);
  assert.deepEqual(h.connects, []);
});

test('token without a subcommand, or with an unknown one, is a usage error', async () => {
  const r = await harness().run([]);
  assert.equal(r.code, exitCodes.usage);
  assert.match(r.stderr, /missing subcommand; "token" is not meant to be run on its own/);
  const r2 = await harness().run(['lsit']);
  assert.equal(r2.code, exitCodes.usage);
});
