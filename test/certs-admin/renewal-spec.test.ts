// What a renewal asks for, from a certificate openssl made (not one of ours): its subject, SANs
// in order and usages, a new period that stays inside the CA's, and usages we cannot write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renewalSpec } from '../../src/certs-admin/renewal-spec.js';
import { openssl } from '../helpers/openssl.js';
import { withTempRoot } from '../helpers/temp-root.js';

const day = 86_400_000;

/** A CA valid for `caDays` and a leaf it signs with two O, mixed SANs and a code-signing usage. */
function opensslPair(dir: string, caDays: number): { ca: X509Certificate; leaf: X509Certificate } {
  const f = (n: string) => path.join(dir, n);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'),
    '-subj', '/CN=test-ca', '-days', String(caDays)]);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'),
    '-subj', '/O=team-b/O=team-a/CN=svc']);
  writeFileSync(f('ext.cnf'), 'extendedKeyUsage=serverAuth,codeSigning,clientAuth\nsubjectAltName=DNS:z.example,IP:10.0.0.2,DNS:a.example,IP:fd00::1\n');
  openssl(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '30', '-extfile', f('ext.cnf'), '-out', f('leaf.crt')]);
  return { ca: new X509Certificate(readFileSync(f('ca.crt'))), leaf: new X509Certificate(readFileSync(f('leaf.crt'))) };
}

test('the subject, SANs (in their order) and usages are the old certificate\'s; the period is new', async () => {
  await withTempRoot(async (dir) => {
    const { ca, leaf } = opensslPair(dir, 3650);
    const now = new Date(Date.now() + 10 * day);
    const r = renewalSpec(leaf, ca, now, 365 * day);
    assert.deepEqual({ ...r.spec, notBefore: r.spec.notBefore.getTime(), notAfter: r.spec.notAfter.getTime() }, {
      commonName: 'svc',
      organization: ['team-b', 'team-a'],
      usages: ['serverAuth', 'clientAuth'],
      isCA: false,
      dnsNames: ['z.example', 'a.example'],
      ips: ['10.0.0.2', 'fd00::1'],
      notBefore: now.getTime() - 5 * 60_000,
      notAfter: now.getTime() + 365 * day,
    });
    assert.deepEqual(r.droppedUsages, ['1.3.6.1.5.5.7.3.3']);
    assert.equal(r.cutToCA, false);
  });
});

test('the new period stays inside the CA\'s: it ends with the CA and does not start before it', async () => {
  await withTempRoot(async (dir) => {
    const { ca, leaf } = opensslPair(dir, 100);
    const caStart = new Date(ca.validFrom).getTime();
    const caEnd = new Date(ca.validTo).getTime();
    const late = renewalSpec(leaf, ca, new Date(caStart + 10 * day), 365 * day);
    assert.equal(late.spec.notAfter.getTime(), caEnd);
    assert.equal(late.cutToCA, true);
    const early = renewalSpec(leaf, ca, new Date(caStart + 60_000), 30 * day);
    assert.equal(early.spec.notBefore.getTime(), caStart);
    assert.equal(early.cutToCA, false);
  });
});
