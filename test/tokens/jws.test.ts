// The cluster-info signature: HS256 over a detached payload, keyed with the token secret only.
// Checked against an HMAC computed here from the RFC 7515 definition, and against jose (a JOSE
// implementation we do not ship) when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { jwsKeyPrefix, signDetached, verifyDetached } from '../../src/tokens/jws.js';

const payload = 'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0t\n    server: https://cp.example.test:6443\n  name: ""\n' +
  'contexts: null\ncurrent-context: ""\nkind: Config\nusers: null\n';
const id = 'abcdef';
const secret = '0123456789abcdef';

test('the protected header is exactly {"alg":"HS256","kid":"<id>"} and the payload is detached', () => {
  const jws = signDetached(payload, id, secret);
  const [header, body, signature] = jws.split('.');
  assert.equal(Buffer.from(header!, 'base64url').toString(), '{"alg":"HS256","kid":"abcdef"}');
  assert.equal(body, '');
  assert.match(signature!, /^[A-Za-z0-9_-]{43}$/, 'a 32-byte MAC, base64url without padding');
  assert.equal(jwsKeyPrefix + id, 'jws-kubeconfig-abcdef');
});

test('the signature is HMAC-SHA256 keyed with the token secret over header.payload, computed independently', () => {
  const header = Buffer.from('{"alg":"HS256","kid":"abcdef"}').toString('base64url');
  const input = `${header}.${Buffer.from(payload).toString('base64url')}`;
  const mac = createHmac('sha256', Buffer.from(secret, 'ascii')).update(input, 'ascii').digest('base64url');
  assert.equal(signDetached(payload, id, secret), `${header}..${mac}`);
  // Keyed with `id.secret` (a common mistake) it would differ.
  assert.notEqual(signDetached(payload, id, `${id}.${secret}`), `${header}..${mac}`);
});

test('it verifies with the right secret and fails with any other secret, id or payload', () => {
  const jws = signDetached(payload, id, secret);
  assert.equal(verifyDetached(jws, payload, id, secret), true);
  assert.equal(verifyDetached(jws, payload, id, '0123456789abcdeg'), false);
  assert.equal(verifyDetached(jws, payload, 'abcdeg', secret), false);
  assert.equal(verifyDetached(jws, `${payload} `, id, secret), false);
  assert.equal(verifyDetached(`${jws}x`, payload, id, secret), false);
  assert.equal(verifyDetached('', payload, id, secret), false);
});

test('a second token signs the same payload differently, and each verifies only with its own secret', () => {
  const a = signDetached(payload, id, secret);
  const b = signDetached(payload, 'ghijkl', 'fedcba9876543210');
  assert.notEqual(a, b);
  assert.equal(verifyDetached(b, payload, 'ghijkl', 'fedcba9876543210'), true);
  assert.equal(verifyDetached(b, payload, id, secret), false);
});

test('jose (an independent JOSE implementation) accepts the signature', async (t) => {
  let jose: typeof import('jose');
  try {
    jose = await import('jose');
  } catch {
    t.skip('jose is not installed');
    return;
  }
  const [protectedHeader, , signature] = signDetached(payload, id, secret).split('.');
  const { payload: verified, protectedHeader: header } = await jose.flattenedVerify(
    { protected: protectedHeader!, payload: Buffer.from(payload).toString('base64url'), signature: signature! },
    new TextEncoder().encode(secret),
  );
  assert.equal(Buffer.from(verified).toString(), payload);
  assert.deepEqual(header, { alg: 'HS256', kid: id });
  await assert.rejects(jose.flattenedVerify(
    { protected: protectedHeader!, payload: Buffer.from(payload).toString('base64url'), signature: signature! },
    new TextEncoder().encode('0123456789abcdeg'),
  ));
});
