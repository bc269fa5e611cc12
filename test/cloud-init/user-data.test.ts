// The rendered user-data, read by real parsers: Debian's `cloud-init schema` where installed
// (cloud-init 22.4 here and in .ci/run), and always the YAML 1.1 reading cloud-init does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { defaultRoleConfig } from '../../src/cloud-init/role-config.js';
import { roles, type Role } from '../../src/cloud-init/roles.js';
import { renderUserData, userDataPaths, type UserDataFormat } from '../../src/cloud-init/user-data.js';
import { fakeHost } from '../helpers/fake-host.js';

const cloudInitMissing = spawnSync('cloud-init', ['--version']).status === 0 ? false : 'cloud-init is not installed';
const pyyamlMissing = spawnSync('python3', ['-c', 'import yaml']).status === 0 ? false : 'python3 with PyYAML is not installed';

// An awkward config text: comments, a leading-space line, trailing spaces, quotes, a tab, no final newline.
const awkwardText = '# my cluster\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n  \nfoo: "yes"  \n\tbar: \'on\'';

async function render(role: Role, format: UserDataFormat, text?: string): Promise<string> {
  const config = await defaultRoleConfig(fakeHost(), role);
  return renderUserData(
    { role, config: text === undefined ? config : { ...config, text }, binPath: userDataPaths.bin, installFrom: 'https://example.com/tskubeadm', sentinelPath: userDataPaths.sentinel },
    format,
  );
}

function schemaCheck(text: string): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tskubeadm-user-data-'));
  try {
    const file = path.join(dir, 'user-data');
    writeFileSync(file, text);
    const r = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf8' });
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// cloud-config keys we emit, each a module cloud-init 22.4 knows (cc_write_files, cc_runcmd, output).
const knownKeys = ['write_files', 'runcmd', 'output'];

for (const role of roles) {
  test(`${role}: \`cloud-init schema\` accepts the YAML and the JSON forms`, { skip: cloudInitMissing }, async () => {
    const yaml = schemaCheck(await render(role, 'yaml'));
    assert.equal(yaml.status, 0, yaml.output);
    assert.match(yaml.output, /Valid cloud-config/);
    // JSON is YAML; only the header line is missing, which cloud-init requires of a file.
    const json = schemaCheck(`#cloud-config\n${await render(role, 'json')}`);
    assert.equal(json.status, 0, json.output);
  });
}

test('the schema check can fail: a broken document is refused', { skip: cloudInitMissing }, async () => {
  const broken = (await render('worker', 'yaml')).replace('permissions: "0600"', 'permissions: 600');
  assert.notEqual(schemaCheck(broken).status, 0);
});

test('without cloud-init: the YAML parses and holds only known modules', async (t) => {
  if (cloudInitMissing) t.diagnostic(`SKIPPED the real schema check: ${cloudInitMissing}; checking keys only`);
  for (const role of roles) {
    const text = await render(role, 'yaml');
    assert.ok(text.startsWith('#cloud-config\n'));
    const doc = parse(text, { version: '1.1' }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), [...knownKeys].sort());
  }
});

test('the YAML and JSON forms carry the same object', async () => {
  for (const role of roles) assert.deepEqual(parse(await render(role, 'yaml'), { version: '1.1' }), JSON.parse(await render(role, 'json')));
});

test('files: the config 0600 and the script 0700, owned by root; runcmd starts the script without a shell', async () => {
  const doc = parse(await render('control-plane', 'yaml'), { version: '1.1' }) as {
    write_files: { path: string; owner: string; permissions: string; content: string }[];
    runcmd: string[][];
  };
  assert.deepEqual(doc.write_files.map((f) => [f.path, f.owner, f.permissions]), [
    ['/run/tskubeadm/kubeadm.yaml', 'root:root', '0600'],
    ['/usr/local/lib/tskubeadm/bootstrap.sh', 'root:root', '0700'],
  ]);
  assert.deepEqual(doc.runcmd, [['/usr/local/lib/tskubeadm/bootstrap.sh']]);
});

test('the config text arrives byte for byte (yaml library, YAML 1.1)', async () => {
  const doc = parse(await render('control-plane', 'yaml', awkwardText), { version: '1.1' }) as { write_files: { content: string }[] };
  assert.equal(doc.write_files[0]?.content, awkwardText);
});

test('the config text arrives byte for byte through PyYAML, the parser cloud-init uses', { skip: pyyamlMissing }, async () => {
  for (const text of [awkwardText, (await defaultRoleConfig(fakeHost(), 'worker')).text]) {
    const r = spawnSync('python3', ['-c', 'import sys, yaml, json; d = yaml.safe_load(sys.stdin); print(json.dumps(d["write_files"][0]["content"]))'], {
      input: await render('control-plane', 'yaml', text),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), text);
  }
});

test('secrets appear only in the 0600 config file, never in the script or runcmd', async () => {
  const token = 'q1w2e3.r4t5y6u7i8o9p0a1';
  const doc = parse(await render('worker', 'yaml', `token: ${token}\n`), { version: '1.1' }) as { write_files: { content: string; permissions: string }[]; runcmd: unknown };
  const holders = doc.write_files.filter((f) => f.content.includes(token));
  assert.deepEqual(holders.map((f) => f.permissions), ['0600']);
  assert.ok(!JSON.stringify(doc.runcmd).includes(token));
});
