// `config print init-defaults|join-defaults|reset-defaults|upgrade-defaults`: the
// configurations kubeadm shows, with its placeholder token, address and node name, as
// the exact bytes it prints (kubeadm-observed/*-defaults.yaml). Pure, except for the two
// host facts kubeadm reads: the hostname (join) and whether systemd-resolved runs (kubelet).
import type { Host } from '../host/host.js';
import { UsageError } from '../errors.js';
import { defaultInitConfig, defaultJoinConfig, defaultResetConfig } from './default-configs.js';
import { configDefaults, defaultTimeouts } from './defaults.js';
import { defaultKubernetesVersion } from './kubernetes-versions.js';
import { encodeInitConfig, encodeJoinConfig, encodeResetConfig, joinDocuments, toGoYaml } from './encode.js';
import { componentConfigDefaults, kubeletConfiguration, kubeProxyConfiguration } from './encode-component-configs.js';
import { encodeUpgradeConfiguration, type UpgradeConfiguration } from './encode-upgrade.js';

/** What `--component-configs` accepts, sorted as kubeadm lists them. */
const componentConfigKinds = Object.freeze(['KubeletConfiguration', 'KubeProxyConfiguration'] as const);
export type ComponentConfigKind = (typeof componentConfigKinds)[number];

/** The join-defaults discovery endpoint kubeadm prints. */
const placeholderAPIServerEndpoint = 'kube-apiserver:6443';

/** Checks `--component-configs` values, keeping the user's order (kubeadm prints them in that order). */
export function parseComponentConfigKinds(kinds: readonly string[]): ComponentConfigKind[] {
  return kinds.map((k) => {
    if (!(componentConfigKinds as readonly string[]).includes(k)) {
      throw new UsageError(`--component-configs needs to contain some of [${componentConfigKinds.join(' ')}]`, {
        fix: `use --component-configs ${componentConfigKinds.join(',')} (or a subset); "${k}" is not one of them`,
      });
    }
    return k as ComponentConfigKind;
  });
}

export interface InitDefaultsOptions {
  readonly componentConfigs?: readonly ComponentConfigKind[];
  /** The kubelet's resolvConf when systemd-resolved is active (see detectResolvConf). */
  readonly resolvConf?: string;
}

export function printInitDefaults(opts: InitDefaultsOptions = {}): string {
  const base = defaultInitConfig({
    advertiseAddress: configDefaults.placeholderAdvertiseAddress,
    nodeName: configDefaults.placeholderNodeName,
    token: configDefaults.placeholderToken,
  });
  // kubeadm prints its static defaults here, before any version normalization: 1.35.0, no `v`.
  const cfg = { ...base, cluster: { ...base.cluster, kubernetesVersion: defaultKubernetesVersion.replace(/^v/, '') } };
  const docs = [encodeInitConfig(cfg)];
  for (const kind of opts.componentConfigs ?? []) {
    const result =
      kind === 'KubeletConfiguration'
        ? kubeletConfiguration(cfg.cluster, opts.resolvConf === undefined ? {} : { resolvConf: opts.resolvConf })
        : kubeProxyConfiguration(cfg.cluster, { advertiseAddress: cfg.init.localAPIEndpoint.advertiseAddress });
    docs.push(toGoYaml(result.document));
  }
  return joinDocuments(docs);
}

/** `nodeName` is the host's name, lower-cased, as kubeadm's join dynamic defaults take it. */
export function printJoinDefaults(p: { readonly nodeName: string }): string {
  return encodeJoinConfig(
    defaultJoinConfig({
      nodeName: p.nodeName.trim().toLowerCase(),
      apiServerEndpoint: placeholderAPIServerEndpoint,
      token: configDefaults.placeholderToken,
    }),
  );
}

export function printResetDefaults(): string {
  return encodeResetConfig(defaultResetConfig());
}

/** kubeadm's UpgradeConfiguration defaults (v1beta4 defaults.go SetDefaults_UpgradeConfiguration). */
function defaultUpgradeConfiguration(): UpgradeConfiguration {
  const pull = { imagePullPolicy: configDefaults.imagePullPolicy, imagePullSerial: configDefaults.imagePullSerial };
  return {
    apply: { certificateRenewal: true, etcdUpgrade: true, ...pull },
    diff: {},
    node: { certificateRenewal: true, etcdUpgrade: true, ...pull },
    plan: { etcdUpgrade: true },
    timeouts: defaultTimeouts,
  };
}

export function printUpgradeDefaults(): string {
  return toGoYaml(encodeUpgradeConfiguration(defaultUpgradeConfiguration()));
}

/** The kubelet resolvConf kubeadm sets when systemd-resolved is active (it asks systemctl); undefined otherwise. */
export async function detectResolvConf(host: Host): Promise<string | undefined> {
  const r = await host.exec.run(['systemctl', 'is-active', 'systemd-resolved'], { mutates: false, timeoutMs: 10_000 });
  return r.exitCode === 0 && r.stdout.trim() === 'active' ? componentConfigDefaults.systemdResolvConf : undefined;
}
