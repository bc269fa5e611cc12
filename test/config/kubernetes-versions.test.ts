import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import {
  compareVersions, defaultKubernetesVersion, imagesFor, isSupportedControlPlaneVersion, kubernetesReleases,
  maximumMinor, minimumControlPlaneVersion, minorOf, releaseFor, resolveVersionLabel, supportedMinors, tooOldMessage,
} from '../../src/config/kubernetes-versions.js';

test('every row is complete and well formed', () => {
  assert.ok(kubernetesReleases.length > 0);
  for (const r of kubernetesReleases) {
    assert.match(r.version, /^v1\.\d+\.\d+$/, `row ${r.minor} version`);
    assert.equal(minorOf(r.version), r.minor, `row ${r.minor} version matches its minor`);
    assert.match(r.etcd, /^\d+\.\d+\.\d+-\d+$/, `row ${r.minor} etcd tag`);
    assert.match(r.coreDNS, /^v\d+\.\d+\.\d+$/, `row ${r.minor} coredns tag`);
    assert.match(r.pause, /^\d+\.\d+(\.\d+)?$/, `row ${r.minor} pause tag`);
  }
});

test('minors are contiguous, oldest first, and the default is the newest', () => {
  supportedMinors.forEach((m, i) => {
    if (i > 0) assert.equal(m, supportedMinors[i - 1]! + 1);
  });
  assert.equal(maximumMinor, supportedMinors[supportedMinors.length - 1]);
  assert.equal(minorOf(defaultKubernetesVersion), maximumMinor);
  assert.equal(minorOf(minimumControlPlaneVersion), supportedMinors[0]);
  for (const r of kubernetesReleases) assert.ok(compareVersions(r.version, defaultKubernetesVersion) <= 0);
});

test('the table is frozen', () => {
  assert.ok(Object.isFrozen(kubernetesReleases));
  assert.ok(Object.isFrozen(kubernetesReleases[0]));
  assert.throws(() => {
    (kubernetesReleases[0] as { etcd: string }).etcd = 'x';
  }, TypeError);
});

test('emulates the observed kubeadm v1.35: deploys 1.34 and 1.35, default 1.35.0', () => {
  assert.deepEqual([...supportedMinors], [34, 35]);
  assert.equal(defaultKubernetesVersion, 'v1.35.0');
  assert.equal(minimumControlPlaneVersion, 'v1.34.0');
  // kubeadm-observed/images.txt (config images list for v1.34.0)
  assert.deepEqual({ ...imagesFor(34) }, { minor: 34, version: 'v1.34.0', etcd: '3.6.4-0', coreDNS: 'v1.12.3', pause: '3.10.1' });
});

test('imagesFor falls back to the nearest row like kubeadm; releaseFor does not', () => {
  assert.equal(imagesFor(36).minor, 35);
  assert.equal(imagesFor(20).minor, 34);
  assert.equal(releaseFor(36), undefined);
  assert.equal(releaseFor(35)?.minor, 35);
});

test('compareVersions orders by semver with or without v', () => {
  assert.equal(compareVersions('v1.34.0', '1.35.0'), -1);
  assert.equal(compareVersions('v1.35.0', 'v1.35.0'), 0);
  assert.equal(compareVersions('v1.35.1', 'v1.35.0'), 1);
  assert.equal(compareVersions('v1.35.0-alpha.0', 'v1.35.0'), -1);
});

test('isSupportedControlPlaneVersion refuses only older than the minimum', () => {
  assert.equal(isSupportedControlPlaneVersion('v1.34.0'), true);
  assert.equal(isSupportedControlPlaneVersion('v1.35.7'), true);
  assert.equal(isSupportedControlPlaneVersion('v1.36.0'), true);
  assert.equal(isSupportedControlPlaneVersion('v1.33.9'), false);
  assert.equal(isSupportedControlPlaneVersion('banana'), false);
  assert.equal(tooOldMessage('v1.20.0'),
    'this version of kubeadm only supports deploying clusters with the control plane version >= 1.34.0. Current version: v1.20.0');
});

test('resolveVersionLabel resolves offline', () => {
  const cases: Record<string, string> = {
    '1.34.2': 'v1.34.2',
    'v1.35.0': 'v1.35.0',
    'v1.20.0': 'v1.20.0', // range is the validator's job
    'v1.35.0-rc.1': 'v1.35.0-rc.1',
    stable: 'v1.35.0',
    latest: 'v1.35.0',
    'stable-1': 'v1.35.0',
    'latest-1': 'v1.35.0',
    'stable-1.34': 'v1.34.0',
    'latest-1.35': 'v1.35.0',
    'release/stable-1.34': 'v1.34.0',
    'stable-1.36': 'v1.35.0', // newer than us: kubeadm falls back to its own minor
    'v1.34': 'v1.34.0',
    '1.35': 'v1.35.0',
    ' v1.34.1 ': 'v1.34.1',
  };
  for (const [label, want] of Object.entries(cases)) assert.equal(resolveVersionLabel(label), want, label);
});

test('resolveVersionLabel rejects what it cannot resolve with typed errors', () => {
  const bad: Record<string, RegExp> = {
    banana: /^version "banana" doesn't match patterns for neither semantic version nor labels \(stable, latest, \.\.\.\)$/,
    // Not semantic versions although they look like one: a ConfigError, never semver's TypeError.
    'v1.35.0.1': /^version "v1\.35\.0\.1" doesn't match patterns/,
    '1.35.0-': /^version "1\.35\.0-" doesn't match patterns/,
    'ci/latest': /CI builds are not supported/,
    'stable-2': /knows no such Kubernetes release/,
    'v2.1': /knows no such Kubernetes release/,
    'v1.36': /knows no such Kubernetes release/,
    'stable-1.33': /only supports deploying clusters with the control plane version >= 1\.34\.0\. Current version: stable-1\.33$/,
    'v1.20': /only supports deploying clusters/,
  };
  for (const [label, re] of Object.entries(bad)) {
    assert.throws(() => resolveVersionLabel(label), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `${label}: ConfigError`);
      assert.match(e.message, re, label);
      assert.ok(e.fix !== undefined && e.fix.length > 0, `${label}: has a fix`);
      return true;
    });
  }
});
