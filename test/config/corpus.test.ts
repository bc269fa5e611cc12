// Every file of the shared corpus (real configs people published) through `config validate`,
// compared with manifest.json's expected outcome and with what a real kubeadm printed.
//
// How outcomes compare:
// - valid: accepted. When the file pins a control plane older than 1.34, kubeadm refuses it
//   for that reason only; we expect the same refusal, then accept the file once
//   kubernetesVersion is set to v1.34.0 (as the manifest's observed re-run did).
// - invalid / fragment: rejected. Where kubeadm's observed output gives the same reason, our
//   message must carry the same key phrase (table below; YAML syntax errors are worded by a
//   different parser, so only their class is compared). Known differences, on purpose:
//   011 (v1alpha1 MasterConfiguration: kubeadm's `config validate` skips old kinds and prints
//   "ok", its init refuses them; we refuse) and 027 (a KubeletConfiguration alone: init needs
//   a kubeadm document, so we refuse it in validate too).
// - unknown (055): depends on the host; accepted when the discovery file exists, refused as
//   kubeadm does when it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateConfigFile } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { configHost } from './config-host.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

const corpusDir = sharedPath('corpus');
const skip = skipWithoutShared('corpus/manifest.json');

interface Entry {
  readonly file: string;
  readonly expected: 'valid' | 'invalid' | 'fragment' | 'unknown';
  readonly observed?: { readonly exitCode: number; readonly output: string; readonly 'withKubernetesVersionV1.34.0'?: { readonly exitCode: number } };
}

/** kubeadm's phrase in its observed output → the phrase our message must contain for the same reason. */
const samePhrase: readonly (readonly [string, string])[] = [
  ['your configuration file uses an old API spec', 'your configuration file uses an old API spec'],
  ['kind and apiVersion is mandatory information that must be specified', 'kind and apiVersion is mandatory information that must be specified'],
  ['invalid Yaml document separator', 'invalid Yaml document separator'],
  ['unknown configuration APIs', 'unknown configuration APIs'],
  ['strict decoding error: unknown field', 'unknown field'],
  ['already set in map', 'already set in map'],
  ['json: cannot unmarshal', 'cannot unmarshal'],
  ['yaml: invalid map key', 'invalid map key'],
  ['error converting YAML to JSON: yaml: line', 'YAML syntax error'],
  ["couldn't parse subnet", "couldn't parse subnet"],
  ['bootstrapToken or file must be set', 'bootstrapToken or file must be set'],
  ['certificate key decoding error', 'certificate key decoding error'],
  ["doesn't match patterns for neither semantic version nor labels", "doesn't match patterns for neither semantic version nor labels"],
  ['not a valid HTTPS URL or a file on disk', 'not a valid HTTPS URL or a file on disk'],
  ['this version of kubeadm only supports deploying clusters with the control plane version >= 1.34.0', 'this version of kubeadm only supports deploying clusters with the control plane version >= 1.34.0'],
];

async function outcome(text: string, file: string, extraFiles: Record<string, string> = {}): Promise<{ ok: true } | { ok: false; message: string }> {
  const where = `/corpus/${file}`;
  const host = configHost({ files: { [where]: text, ...extraFiles } });
  try {
    await validateConfigFile({ host, configPath: where });
    return { ok: true };
  } catch (err) {
    assert.ok(err instanceof ConfigError, `${file}: not a ConfigError: ${String(err)}`);
    return { ok: false, message: err.message };
  }
}

function withVersion(text: string, version: string): string {
  return text.replace(/^(\s*kubernetesVersion:\s*).*$/gm, `$1${version}`);
}

/** Why a file's outcome differs from kubeadm's expected one, or undefined when it matches. */
async function mismatch(e: Entry, text: string): Promise<string | undefined> {
  const got = await outcome(text, e.file);
  if (e.expected === 'valid') {
    if (e.observed?.['withKubernetesVersionV1.34.0'] !== undefined) {
      if (got.ok || !got.message.includes('only supports deploying clusters with the control plane version >= 1.34.0')) {
        return `expected the too-old version refusal, got ${got.ok ? 'acceptance' : got.message}`;
      }
      const again = await outcome(withVersion(text, 'v1.34.0'), e.file);
      return again.ok ? undefined : `refused with kubernetesVersion v1.34.0: ${again.message}`;
    }
    return got.ok ? undefined : `refused: ${got.message}`;
  }
  if (e.expected === 'unknown') {
    const present = await outcome(text, e.file, { '/etc/kubernetes/bootstrap-kubelet.conf': 'apiVersion: v1\nkind: Config\n' });
    if (!present.ok) return `refused although the discovery file exists: ${present.message}`;
    if (got.ok || !got.message.includes('not a valid HTTPS URL or a file on disk')) {
      return `expected kubeadm's missing-file refusal, got ${got.ok ? 'acceptance' : got.message}`;
    }
    return undefined;
  }
  // invalid and fragment
  if (got.ok) return 'accepted';
  const observed = e.observed?.output ?? '';
  const pair = e.observed?.exitCode === 1 ? samePhrase.find(([theirs]) => observed.includes(theirs)) : undefined;
  if (pair !== undefined && !got.message.includes(pair[1])) return `kubeadm said "${pair[0]}", we said: ${got.message}`;
  return undefined;
}

test('the shared corpus: every file gets kubeadm\'s outcome', { skip }, async (t) => {
  const manifest = JSON.parse(readFileSync(path.join(corpusDir, 'manifest.json'), 'utf8')) as Entry[];
  let matched = 0;
  for (const e of manifest) {
    const text = readFileSync(path.join(corpusDir, e.file), 'utf8');
    await t.test(`${e.file} (${e.expected})`, async () => {
      assert.equal(await mismatch(e, text), undefined);
      matched++;
    });
  }
  const shared = manifest.filter((e) => e.expected !== 'valid' && e.observed?.exitCode === 1 &&
    samePhrase.some(([theirs]) => (e.observed?.output ?? '').includes(theirs))).length;
  t.diagnostic(`corpus: ${matched}/${manifest.length} files match kubeadm's expected outcome; ${shared} refusals checked for kubeadm's key phrase`);
});
