// The placeholder configurations `config print init-defaults|join-defaults|reset-defaults`
// show: built by the same code that defaults a real file (build.ts), from nothing but the
// placeholders, so printed defaults and loaded defaults cannot drift apart.
import type { ClusterConfiguration, InitConfig, JoinConfig, ResetConfig } from './types.js';
import { buildCluster, buildInit, buildJoin, buildReset } from './build.js';
import { configDefaults, kubeadmAPIVersion } from './defaults.js';
import { defaultKubernetesVersion } from './kubernetes-versions.js';

const typeMeta = (kind: string) => ({ apiVersion: kubeadmAPIVersion, kind });

/** A ClusterConfiguration holding only static defaults (kubernetesVersion = the newest supported). */
export function defaultClusterConfiguration(): ClusterConfiguration {
  return { ...buildCluster(undefined), kubernetesVersion: defaultKubernetesVersion };
}

/** What `config print init-defaults` shows, with the caller's placeholders (containerd's socket, nil taints). */
export function defaultInitConfig(p: { advertiseAddress: string; nodeName: string; token: string }): InitConfig {
  return {
    init: buildInit({
      ...typeMeta('InitConfiguration'),
      bootstrapTokens: [{ token: p.token }],
      nodeRegistration: { name: p.nodeName, criSocket: configDefaults.criSocket },
      localAPIEndpoint: { advertiseAddress: p.advertiseAddress },
    }),
    cluster: defaultClusterConfiguration(),
    kubelet: undefined,
    kubeProxy: undefined,
    warnings: [],
  };
}

/** What `config print join-defaults` shows: token discovery with unsafeSkipCAVerification, as kubeadm prints it. */
export function defaultJoinConfig(p: { nodeName: string; apiServerEndpoint: string; token: string }): JoinConfig {
  return {
    join: buildJoin({
      ...typeMeta('JoinConfiguration'),
      nodeRegistration: { name: p.nodeName, criSocket: configDefaults.criSocket },
      discovery: {
        bootstrapToken: { token: p.token, apiServerEndpoint: p.apiServerEndpoint, unsafeSkipCAVerification: true },
        tlsBootstrapToken: p.token,
      },
    }),
    warnings: [],
  };
}

/** What `config print reset-defaults` shows. */
export function defaultResetConfig(): ResetConfig {
  return { reset: buildReset({ ...typeMeta('ResetConfiguration'), criSocket: configDefaults.criSocket }), warnings: [] };
}
