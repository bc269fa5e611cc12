// check-expiration's renderers: the text tables byte for byte against a real kubeadm's output,
// apimachinery's short durations at their boundaries, Go's date layout, and the
// output.kubeadm.k8s.io/v1alpha3 object as JSON and YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ExpirationEntry, ExpirationInfo } from '../../src/certs-admin/expiration.js';
import { formatExpiration, goDate, shortHumanDuration } from '../../src/certs-admin/expiration-output.js';

const leafEnd = new Date('2026-08-19T09:03:41Z');
const caEnd = new Date('2035-08-17T09:03:41Z');
// 360 days and a bit before leafEnd, as on the machine that printed the table below.
const now = new Date('2025-08-24T08:00:00Z');

function entry(name: string, end: Date, caName?: string, extra: Partial<ExpirationEntry> = {}): ExpirationEntry {
  return {
    name, expirationDate: end, residualSeconds: Math.trunc((end.getTime() - now.getTime()) / 1000),
    externallyManaged: false, missing: false, ...(caName === undefined ? {} : { caName }), ...extra,
  };
}

const leaves: readonly [string, string][] = [
  ['admin.conf', 'ca'], ['apiserver', 'ca'], ['apiserver-etcd-client', 'etcd-ca'], ['apiserver-kubelet-client', 'ca'],
  ['controller-manager.conf', 'ca'], ['etcd-healthcheck-client', 'etcd-ca'], ['etcd-peer', 'etcd-ca'], ['etcd-server', 'etcd-ca'],
  ['front-proxy-client', 'front-proxy-ca'], ['scheduler.conf', 'ca'], ['super-admin.conf', 'ca'],
];

const healthy: ExpirationInfo = {
  certificates: leaves.map(([n, ca]) => entry(n, leafEnd, ca)),
  certificateAuthorities: ['ca', 'etcd-ca', 'front-proxy-ca'].map((n) => entry(n, caEnd)),
};

test('the text tables are laid out exactly as kubeadm prints them', () => {
  // Recorded from kubeadm v1.3x `certs check-expiration` on a stacked-etcd control plane (public lab
  // write-up, github.com/ibtisam-iq/nectar kubernetes/01-core-concepts/kubeadm.md), without the
  // ConfigMap lines kubeadm prints before the tables. Note the trailing spaces after yes/no.
  const kubeadm = [
    'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
    'admin.conf                 Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    'apiserver                  Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    'apiserver-etcd-client      Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ',
    'apiserver-kubelet-client   Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    'controller-manager.conf    Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    'etcd-healthcheck-client    Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ',
    'etcd-peer                  Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ',
    'etcd-server                Aug 19, 2026 09:03 UTC   360d            etcd-ca                 no      ',
    'front-proxy-client         Aug 19, 2026 09:03 UTC   360d            front-proxy-ca          no      ',
    'scheduler.conf             Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    'super-admin.conf           Aug 19, 2026 09:03 UTC   360d            ca                      no      ',
    '',
    'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
    'ca                      Aug 17, 2035 09:03 UTC   9y              no      ',
    'etcd-ca                 Aug 17, 2035 09:03 UTC   9y              no      ',
    'front-proxy-ca          Aug 17, 2035 09:03 UTC   9y              no      ',
    '',
  ].join('\n');
  assert.equal(formatExpiration(healthy, 'text'), kubeadm);
});

test('missing files read "!MISSING! <name>" with empty cells, and an external CA reads yes', () => {
  const info: ExpirationInfo = {
    certificates: [
      entry('apiserver', leafEnd, 'ca', { externallyManaged: true }),
      { name: 'apiserver-etcd-client', residualSeconds: 0, externallyManaged: false, caName: 'etcd-ca', missing: true },
    ],
    certificateAuthorities: [entry('ca', caEnd, undefined, { externallyManaged: true }), { name: 'etcd-ca', residualSeconds: 0, externallyManaged: false, missing: true }],
  };
  assert.equal(formatExpiration(info, 'text'), [
    'CERTIFICATE                       EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
    'apiserver                         Aug 19, 2026 09:03 UTC   360d            ca                      yes     ',
    '!MISSING! apiserver-etcd-client                                                                    ',
    '',
    'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
    'ca                      Aug 17, 2035 09:03 UTC   9y              yes     ',
    '!MISSING! etcd-ca                                                ',
    '',
  ].join('\n'));
});

test('short human durations: one unit, truncated; a second of skew is 0s, more in the past <invalid>', () => {
  const cases: [number, string][] = [
    [-2, '<invalid>'], [-1, '0s'], [0, '0s'], [59, '59s'], [60, '1m'], [3599, '59m'], [3600, '1h'], [86399, '23h'],
    [86400, '1d'], [364 * 86400 + 86399, '364d'], [365 * 86400, '1y'], [3650 * 86400 - 1, '9y'], [3650 * 86400, '10y'],
  ];
  for (const [s, want] of cases) assert.equal(shortHumanDuration(s), want, `${s}s`);
});

test("dates use Go's layout Jan 02, 2006 15:04 MST, in UTC", () => {
  assert.equal(goDate(new Date('2026-01-05T03:07:59Z')), 'Jan 05, 2026 03:07 UTC');
  assert.equal(goDate(new Date('2035-12-31T23:59:00.999Z')), 'Dec 31, 2035 23:59 UTC');
});

test('-o json is the v1alpha3 CertificateExpirationInfo with 4-space indent, in Go field order', () => {
  const info: ExpirationInfo = {
    certificates: [entry('apiserver', leafEnd, 'ca'), { name: 'etcd-peer', residualSeconds: 0, externallyManaged: false, caName: 'etcd-ca', missing: true }],
    certificateAuthorities: [entry('ca', caEnd)],
  };
  const text = formatExpiration(info, 'json');
  assert.ok(text.endsWith('}\n'));
  assert.match(text, /^\{\n {4}"kind": "CertificateExpirationInfo",\n {4}"apiVersion": "output\.kubeadm\.k8s\.io\/v1alpha3",\n/);
  const doc = JSON.parse(text) as { certificates: Record<string, unknown>[]; certificateAuthorities: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(doc), ['kind', 'apiVersion', 'certificates', 'certificateAuthorities']);
  assert.deepEqual(doc.certificates[0], {
    name: 'apiserver', expirationDate: '2026-08-19T09:03:41Z', residualTime: 31107821, externallyManaged: false, caName: 'ca', missing: false,
  });
  assert.deepEqual(Object.keys(doc.certificates[0]!), ['name', 'expirationDate', 'residualTime', 'externallyManaged', 'caName', 'missing']);
  // A missing file: Go's zero metav1.Time marshals as null.
  assert.deepEqual(doc.certificates[1], { name: 'etcd-peer', expirationDate: null, residualTime: 0, externallyManaged: false, caName: 'etcd-ca', missing: true });
  // caName is omitempty: CAs have none.
  assert.deepEqual(doc.certificateAuthorities[0], { name: 'ca', expirationDate: '2035-08-17T09:03:41Z', residualTime: 314931821, externallyManaged: false, missing: false });
});

test('-o yaml holds the same object with sorted keys and quoted timestamps, as sigs.k8s.io/yaml writes it', () => {
  const text = formatExpiration(healthy, 'yaml');
  assert.deepEqual(parse(text), JSON.parse(formatExpiration(healthy, 'json')));
  assert.match(text, /^apiVersion: output\.kubeadm\.k8s\.io\/v1alpha3\ncertificateAuthorities:\n- expirationDate: "2035-08-17T09:03:41Z"\n {2}externallyManaged: false\n {2}missing: false\n {2}name: ca\n {2}residualTime: 314931821\n/);
  assert.match(text, /\nkind: CertificateExpirationInfo\n$/);
});
