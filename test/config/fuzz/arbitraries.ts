// Generators for the config-loader fuzz test: documents shaped like kubeadm's (known kinds and field names with
// values of any type), and text mutations of real config files (the corpus, the examples).
import fc from 'fast-check';

const apiVersions = [
  'kubeadm.k8s.io/v1beta4', 'kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta2', 'kubeadm.k8s.io/v1beta5', 'kubeadm.k8s.io',
  'kubelet.config.k8s.io/v1beta1', 'kubeproxy.config.k8s.io/v1alpha1', 'v1', '',
];
const kinds = [
  'InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration',
  'KubeletConfiguration', 'KubeProxyConfiguration', 'ConfigMap', 'initconfiguration', '',
];
/** Field names kubeadm's documents use, at any level: a generated object picks among them (and unknown ones). */
const fieldNames = [
  'bootstrapTokens', 'token', 'ttl', 'usages', 'groups', 'description', 'expires', 'nodeRegistration', 'name', 'criSocket',
  'taints', 'key', 'value', 'effect', 'kubeletExtraArgs', 'ignorePreflightErrors', 'imagePullPolicy', 'imagePullSerial',
  'localAPIEndpoint', 'advertiseAddress', 'bindPort', 'certificateKey', 'skipPhases', 'patches', 'directory', 'timeouts',
  'controlPlaneComponentHealthCheck', 'kubeletHealthCheck', 'kubernetesAPICall', 'discovery', 'tlsBootstrap',
  'etcd', 'local', 'external', 'endpoints', 'caFile', 'certFile', 'keyFile', 'dataDir', 'imageRepository', 'imageTag',
  'extraArgs', 'extraEnvs', 'serverCertSANs', 'peerCertSANs', 'networking', 'serviceSubnet', 'podSubnet', 'dnsDomain',
  'kubernetesVersion', 'controlPlaneEndpoint', 'apiServer', 'certSANs', 'extraVolumes', 'hostPath', 'mountPath',
  'readOnly', 'pathType', 'controllerManager', 'scheduler', 'dns', 'disabled', 'proxy', 'certificatesDir', 'clusterName',
  'featureGates', 'encryptionAlgorithm', 'certificateValidityPeriod', 'caCertificateValidityPeriod', 'bootstrapToken',
  'apiServerEndpoint', 'caCertHashes', 'unsafeSkipCAVerification', 'file', 'kubeConfigPath', 'controlPlane',
  'force', 'cleanupTmpDir', 'unmountFlags', 'dryRun', 'cgroupDriver', 'mode', 'clusterCIDR', 'upgrade', 'apply',
  'apiVersion', 'kind', 'unknownField', 'ControlPlaneEndpoint', '',
];
const interestingStrings = [
  '10.96.0.0/12', '10.244.0.0/16,fd00::/108', '192.168.0.1', '::1', '[::1]:6443', 'cp.example.com:6443', '300.1.1.1',
  '10.0.0.0/33', 'abcdef.0123456789abcdef', 'ABCDEF.0123456789abcdef', 'sha256:' + 'a'.repeat(64), 'sha256:xyz',
  '24h0m0s', '-1s', '1.5h', '4m0s', 'forever', 'v1.35.0', '1.34', 'stable-1', 'latest', 'unix:///run/containerd/containerd.sock',
  '/etc/kubernetes/pki', 'relative/path', 'RSA-2048', 'ECDSA-P256', 'rsa-2048', 'NoSchedule', 'Always', 'IfNotPresent',
  'true', 'no', 'null', '~', '0x1F', '1e400', '', ' ', 'node_1', 'Node-1', 'a'.repeat(300), 'ünïcödé', '\u0000', '\t',
];

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...interestingStrings),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, 6443, 65536, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1.5, -0),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);

/** A value of kubeadm-config shape: objects keyed by known field names, lists, and leaves, to a bounded depth. */
const configValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...fieldNames), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** One document: mostly a known apiVersion/kind pair, with fields of any type. */
export const configDocument: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(...apiVersions),
    fc.constantFrom(...kinds),
    fc.dictionary(fc.constantFrom(...fieldNames), configValue, { maxKeys: 8 }),
    fc.boolean(),
  )
  .map(([apiVersion, kind, fields, keepHeader]) => (keepHeader ? { ...fields, apiVersion, kind } : fields));

/** A whole file: one to four documents, rendered by the yaml package (done by the caller) and joined with `---`. */
export const configDocuments = fc.array(configDocument, { minLength: 1, maxLength: 4 });

/** Text edits that break a file the way hands, editors and transfers do. */
export type Mutation =
  | { readonly op: 'deleteLine'; readonly at: number }
  | { readonly op: 'duplicateLine'; readonly at: number }
  | { readonly op: 'indent'; readonly at: number; readonly by: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'crlf' }
  | { readonly op: 'bom' };

const insertions = [
  '\t', ' ', ':', '- ', '---\n', '...\n', '&a ', '*a', '*nope', '!!binary ', '!!str ', '!custom ', '!!map ', '? ', '|', '>',
  '{', '}', '[', ']', '"', "'", '#', '%YAML 1.1\n', '\u0000', '\uFEFF', 'key: value\n', 'apiVersion: v1\n',
  'kind: JoinConfiguration\n', '<<: *a\n', 'x'.repeat(10_000), '\u202E',
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...insertions), fc.string({ maxLength: 8 })) }),
  fc.constant({ op: 'crlf' as const }),
  fc.constant({ op: 'bom' as const }),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const line = (at: number) => at % Math.max(lines.length, 1);
  switch (m.op) {
    case 'deleteLine':
      lines.splice(line(m.at), 1);
      return lines.join('\n');
    case 'duplicateLine':
      lines.splice(line(m.at), 0, lines[line(m.at)] ?? '');
      return lines.join('\n');
    case 'indent': {
      const i = line(m.at);
      const l = lines[i] ?? '';
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.slice(Math.min(-m.by, l.length - l.trimStart().length));
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'crlf':
      return text.replaceAll('\n', '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
  }
}

/** YAML that expands exponentially through aliases: the parser must refuse it quickly instead of building it. */
export function aliasBomb(levels: number): string {
  const lines = ['apiVersion: kubeadm.k8s.io/v1beta4', 'kind: InitConfiguration', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Nesting a recursive parser or a recursive schema walk could choke on. */
export function deepNesting(depth: number): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** An edit of a parsed document: a value replaced (by any shape), a key removed, or an unknown key added, at a
 *  path picked by `pick` (an index reduced modulo the number of paths). Valid files edited one field at a time
 *  reach the validation of each field, which wholly random documents rarely get past. */
export type FieldEdit =
  | { readonly op: 'set'; readonly pick: number; readonly value: unknown }
  | { readonly op: 'delete'; readonly pick: number }
  | { readonly op: 'add'; readonly pick: number; readonly key: string; readonly value: unknown };

export const fieldEdit: fc.Arbitrary<FieldEdit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: configValue }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: leaf }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom(...fieldNames), value: leaf }), weight: 1 },
);

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) pair in a JSON-like value, depth first. */
function slots(value: unknown, out: Array<[Container, string | number]> = []): Array<[Container, string | number]> {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out);
    }
  }
  return out;
}

/** Applies the edit to a deep copy of `doc`. */
export function applyFieldEdit(doc: unknown, e: FieldEdit): unknown {
  const copy = structuredClone(doc);
  const all = slots(copy);
  const slot = all[e.pick % Math.max(all.length, 1)];
  if (slot === undefined) return copy;
  const [container, key] = slot;
  if (e.op === 'set') (container as Record<string | number, unknown>)[key] = e.value;
  else if (e.op === 'delete') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else {
    const target = (container as Record<string | number, unknown>)[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[e.key] = e.value;
  }
  return copy;
}
