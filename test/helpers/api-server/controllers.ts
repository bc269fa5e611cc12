// The kube-controller-manager controllers a kubeadm cluster relies on, as one synchronous-looking pass:
// tokencleaner (expired token Secrets deleted), bootstrapsigner (a `jws-kubeconfig-<id>` signature in
// kube-public/cluster-info for every usable signing token, stale ones removed), and the CSR approver
// and kubelet-client signer. They write to the store directly, as the controllers' own credentials would.
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../../../src/api/objects.js';
import { resourceOf } from '../../../src/api/resources.js';
import { jwsKeyPrefix, signDetached } from '../../../src/tokens/jws.js';
import { rfc3339 } from '../../../src/config/rfc3339.js';
import type { UserInfo } from './auth.js';
import { isExpired, storedToken } from './bootstrap-tokens.js';
import { kubeletClientProblem, kubeletClientSigner, parseRequest, signClientCertificate, specOf } from './csr.js';
import { authorize } from './rbac.js';
import type { Store } from './store.js';

export interface ControllerDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly ca: { readonly cert: X509Certificate; readonly key: KeyObject };
}

export async function runControllerPass(deps: ControllerDeps): Promise<void> {
  cleanTokens(deps);
  signClusterInfo(deps);
  await handleCsrs(deps);
}

const secrets = resourceOf('Secret');
const configMaps = resourceOf('ConfigMap');
const csrs = resourceOf('CertificateSigningRequest');

function cleanTokens({ store, clock }: ControllerDeps): void {
  const now = clock();
  for (const s of store.list(secrets, 'kube-system')) {
    const t = storedToken(s);
    if (t !== undefined && isExpired(t, now)) store.remove(secrets, 'kube-system', s.metadata.name);
  }
}

function signClusterInfo({ store, clock }: ControllerDeps): void {
  const info = store.get(configMaps, 'kube-public', 'cluster-info');
  const data = (info?.['data'] ?? {}) as Record<string, string>;
  const payload = data['kubeconfig'];
  if (info === undefined || payload === undefined) return;
  const now = clock();
  const wanted: Record<string, string> = {};
  for (const s of store.list(secrets, 'kube-system')) {
    const t = storedToken(s);
    if (t === undefined || isExpired(t, now) || !t.usages.has('signing')) continue;
    wanted[`${jwsKeyPrefix}${t.id}`] = signDetached(payload, t.id, t.secret);
  }
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (!k.startsWith(jwsKeyPrefix)) next[k] = v;
  Object.assign(next, wanted);
  const same = Object.keys(next).length === Object.keys(data).length && Object.entries(next).every(([k, v]) => data[k] === v);
  if (!same) store.replace({ ...info, data: next });
}

interface Condition { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }
interface CsrStatus { readonly conditions?: readonly Condition[]; readonly certificate?: string }

async function handleCsrs(deps: ControllerDeps): Promise<void> {
  for (const csr of deps.store.list(csrs, undefined)) {
    const spec = specOf(csr);
    const status = (csr['status'] ?? {}) as CsrStatus;
    const conditions = status.conditions ?? [];
    const decided = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
    if (spec.signerName !== kubeletClientSigner || status.certificate !== undefined || decided('Denied') || decided('Failed')) continue;
    const parsed = await parseRequest(spec);
    if (typeof parsed === 'string') continue;
    const now = deps.clock();
    const condition = (type: string, reason: string, message: string) =>
      ({ type, status: 'True', reason, message, lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now) });
    const checked = kubeletClientProblem(parsed, spec.usages ?? []);
    if ('problem' in checked) {
      write(deps.store, csr, { ...status, conditions: [...conditions, condition('Failed', 'SignerValidationFailure', checked.problem)] });
      continue;
    }
    let next = status;
    if (!decided('Approved')) {
      const approval = approve(deps.store, spec.username ?? '', spec.groups ?? [], checked.node);
      if (approval === undefined) continue;
      next = { ...status, conditions: [...conditions, condition('Approved', 'AutoApproved', approval)] };
    }
    const pem = await signClientCertificate(parsed, spec, checked.node, deps.ca, now);
    write(deps.store, csr, { ...next, certificate: Buffer.from(pem).toString('base64') });
  }
}

/** The csrapproving controller: a SubjectAccessReview for certificatesigningrequests/(self)nodeclient as the requester. */
function approve(store: Store, username: string, groups: readonly string[], node: string): string | undefined {
  const self = username === `system:node:${node}`;
  const user: UserInfo = { name: username, groups };
  const decision = authorize(user, {
    isResource: true, path: '', verb: 'create', apiVersion: 'certificates.k8s.io/v1', group: 'certificates.k8s.io',
    plural: 'certificatesigningrequests', subresource: self ? 'selfnodeclient' : 'nodeclient', trailing: false,
  }, store);
  if (!decision.allowed) return undefined;
  return self ? 'Auto approving self kubelet client certificate after SubjectAccessReview.' : 'Auto approving kubelet client certificate after SubjectAccessReview.';
}

/** Writes the new status unless the CSR went away or changed while the pass was signing. */
function write(store: Store, csr: KubeObject, status: CsrStatus): void {
  const current = store.get(csrs, undefined, csr.metadata.name);
  if (current === undefined || current.metadata.resourceVersion !== csr.metadata.resourceVersion) return;
  store.replace({ ...csr, status });
}
