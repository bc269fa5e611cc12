// Every -o json result, printed by the real command (in-process, a temp root with a PKI made by the init
// phases, an in-memory API), is exactly one document that validates against its schema in docs/schemas;
// -o yaml is the same object; and each schema rejects a mutated copy, so the check can fail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import type { ApiClient } from '../../src/api/client.js';
import type { Host } from '../../src/host/host.js';
import { bootstrapTokenSecret } from '../../src/tokens/token-secret.js';
import { buildPki, hostAt, real } from '../certs-admin/pki-fixture.js';
import { runCli } from '../cli/run-cli.js';
import { memoryApi } from '../helpers/memory-api.js';
import { joinResultCases } from './join-result-case.js';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/schemas');
const now = '2025-08-24T10:00:00Z';
const token = 'abcdef.0123456789abcdef';

const ajv = new Ajv({ allErrors: true, strict: true });
const schemas = new Map<string, ValidateFunction>();
for (const f of readdirSync(schemaDir).filter((n) => n.endsWith('.schema.json') && n !== 'log-event.schema.json')) {
  schemas.set(f.replace(/\.schema\.json$/, ''), ajv.compile(JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8')) as object));
}

function validate(schema: string, value: unknown): void {
  const check = schemas.get(schema);
  assert.ok(check, `docs/schemas/${schema}.schema.json exists`);
  assert.ok(check(value), `${schema}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value, null, 2)}`);
}

/** The schema refuses a copy with an unknown field (closed shapes) or without a required one (open ones). */
function rejectsMutation(schema: string, value: unknown): void {
  const check = schemas.get(schema)!;
  const mutated = structuredClone(value) as Record<string, unknown> | Record<string, unknown>[];
  const target = (Array.isArray(mutated) ? mutated[0] : mutated) as Record<string, unknown>;
  if (check.schema !== undefined && (check.schema as { additionalProperties?: boolean }).additionalProperties === false) target['unexpected'] = true;
  else delete target[Object.keys(target).includes('kind') ? 'kind' : Object.keys(target)[0]!];
  assert.equal(check(mutated), false, `${schema} accepted a mutated copy`);
}

const checked = new Set<string>();

interface Case {
  readonly name: string;
  readonly schema: string;
  readonly argv: readonly string[];
  /** Formats to run: json always; yaml must then give the same object. */
  readonly yaml?: boolean;
  /** Prepares the host before each run (commands that refuse to overwrite). */
  readonly fresh?: (root: string) => void;
}

describe('-o json results validate against docs/schemas', () => {
  let root = '';
  let host: Host;
  const api = memoryApi();
  const connectApi = () => (): Promise<ApiClient> => Promise.resolve(api);
  const run = (argv: readonly string[]) => runCli(argv, { host, connectApi });

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'tskubeadm-results-'));
    host = hostAt(root, now);
    await buildPki(host);
    writeFileSync(real(root, '/kubeadm.yaml'), [
      'apiVersion: kubeadm.k8s.io/v1beta4',
      'kind: InitConfiguration',
      `bootstrapTokens: [{token: "${token}"}]`,
      'localAPIEndpoint: {advertiseAddress: 192.0.2.10}',
      'nodeRegistration: {name: node-1, criSocket: "unix:///var/run/containerd/containerd.sock"}',
      '---',
      'apiVersion: kubeadm.k8s.io/v1beta4',
      'kind: ClusterConfiguration',
      'encryptionAlgorithm: ECDSA-P256',
      '',
    ].join('\n'));
    // imagePullPolicy Never: `config images pull` then needs no container runtime.
    writeFileSync(real(root, '/never.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n' +
      'nodeRegistration: {name: node-1, criSocket: "unix:///var/run/containerd/containerd.sock", imagePullPolicy: Never}\n');
    // init's mark-control-plane patches this node (injected API: no dry-run printer in between).
    api.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } } });
    api.seed(bootstrapTokenSecret({ token: 'ghijkl.0123456789abcdef', ttlMs: 3_600_000, usages: ['signing'], groups: [], description: 'lab' }, new Date(now)));
    api.seed(bootstrapTokenSecret({ token: 'mnopqr.0123456789abcdef', ttlMs: 0, usages: [], groups: [] }, new Date(now)));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const cases: Case[] = [
    { name: 'init --dry-run', schema: 'InitResult', argv: ['init', '--dry-run', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight', '--upload-certs'], yaml: true },
    { name: 'reset --dry-run', schema: 'ResetReport', argv: ['reset', '--dry-run', '--force'], yaml: true },
    { name: 'reset phase preflight --dry-run', schema: 'ResetReport', argv: ['reset', 'phase', 'preflight', '--dry-run', '--force'] },
    { name: 'token create', schema: 'BootstrapToken.tskubeadm', argv: ['token', 'create', '--print-join-command', '--print-join-string'], yaml: true },
    { name: 'token generate', schema: 'GeneratedToken', argv: ['token', 'generate'], yaml: true },
    { name: 'token delete', schema: 'TokenDeleteResult', argv: ['token', 'delete', 'mnopqr'] },
    { name: 'certs check-expiration', schema: 'CertificateExpirationInfo', argv: ['certs', 'check-expiration'], yaml: true },
    { name: 'certs renew apiserver', schema: 'CertificateRenewal', argv: ['certs', 'renew', 'apiserver', '--lock-timeout', '0s'], yaml: true },
    { name: 'certs renew all', schema: 'CertificateRenewal', argv: ['certs', 'renew', 'all', '--lock-timeout', '0s'] },
    { name: 'certs certificate-key', schema: 'CertificateKey', argv: ['certs', 'certificate-key'], yaml: true },
    { name: 'certs ca-hash', schema: 'CACertHashes', argv: ['certs', 'ca-hash'], yaml: true },
    {
      name: 'certs generate-csr', schema: 'CertificateRequests', yaml: true,
      argv: ['certs', 'generate-csr', '--config', '/kubeadm.yaml', '--cert-dir', '/csr/pki', '--kubeconfig-dir', '/csr'],
      fresh: (r) => rmSync(real(r, '/csr'), { recursive: true, force: true }),
    },
    { name: 'config validate', schema: 'ConfigValidation', argv: ['config', 'validate', '--config', '/kubeadm.yaml'], yaml: true },
    { name: 'config images list', schema: 'Images', argv: ['config', 'images', 'list', '--config', '/kubeadm.yaml'], yaml: true },
    { name: 'config images pull', schema: 'ImagePull', argv: ['config', 'images', 'pull', '--config', '/never.yaml'], yaml: true },
    { name: 'config print init-defaults', schema: 'ConfigDocuments', argv: ['config', 'print', 'init-defaults', '--component-configs', 'KubeProxyConfiguration'] },
    { name: 'config print reset-defaults', schema: 'ConfigDocuments', argv: ['config', 'print', 'reset-defaults'] },
    { name: 'config migrate', schema: 'ConfigDocuments', argv: ['config', 'migrate', '--old-config', '/kubeadm.yaml'] },
    { name: 'kubeconfig user', schema: 'Kubeconfig', argv: ['kubeconfig', 'user', '--client-name', 'dev', '--org', 'devs', '--config', '/kubeadm.yaml'] },
    { name: 'version', schema: 'Version', argv: ['version'], yaml: true },
  ];

  for (const c of cases) {
    test(`${c.name} -o json${c.yaml === true ? ' and -o yaml' : ''}: one ${c.schema} document on stdout`, async () => {
      c.fresh?.(root);
      const r = await run([...c.argv, '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const value = JSON.parse(r.stdout) as unknown; // throws unless stdout is exactly one JSON value
      validate(c.schema, value);
      rejectsMutation(c.schema, value);
      checked.add(c.schema);
      if (c.yaml !== true) return;
      c.fresh?.(root);
      const y = await run([...c.argv, '-o', 'yaml']);
      assert.equal(y.code, 0, y.stderr);
      assert.equal(parseAllDocuments(y.stdout).length, 1, 'one YAML document');
      validate(c.schema, parse(y.stdout));
      // Generated values (keys, tokens, times) differ between runs; the shape does not.
      assert.deepEqual(Object.keys(parse(y.stdout) as object).sort(), Object.keys(value as object).sort());
    });
  }

  test('token list -o json: kubeadm\'s BootstrapToken objects, one per token', async () => {
    const r = await run(['token', 'list', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const objects = r.stdout.split(/(?<=^\})\n/m).filter((s) => s.trim() !== '').map((s) => JSON.parse(s) as unknown);
    assert.ok(objects.length >= 1);
    for (const o of objects) validate('BootstrapToken', o);
    rejectsMutation('BootstrapToken', objects[0]);
    checked.add('BootstrapToken');
  });

  test('join: the JoinResult of a worker and of a control-plane join', async () => {
    for (const value of await joinResultCases(host)) {
      validate('JoinResult', value);
      rejectsMutation('JoinResult', value);
    }
    checked.add('JoinResult');
  });

  test('an unknown -o value is a usage error naming the allowed formats, and nothing runs', async () => {
    for (const argv of [['init', '--config', '/kubeadm.yaml', '-o', 'xml'], ['join', '-o', 'xml'], ['reset', '--force', '-o', 'xml']]) {
      const r = await run(argv);
      assert.equal(r.code, 64, r.stderr);
      assert.match(r.stderr, /invalid output format "xml": allowed formats are text, json, yaml/);
      assert.equal(r.stdout, '');
    }
    for (const argv of [['token', 'generate', '-o', 'xml'], ['certs', 'ca-hash', '-o', 'xml'], ['config', 'print', 'join-defaults', '-o', 'text']]) {
      const r = await run(argv);
      assert.equal(r.code, 64, r.stderr);
      assert.match(r.stderr, /is invalid\. Allowed choices are/);
      assert.equal(r.stdout, '');
    }
  });

  test('every schema file was checked by a command above', () => {
    assert.deepEqual([...schemas.keys()].filter((s) => !checked.has(s)), []);
  });
});
