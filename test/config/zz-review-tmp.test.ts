import { test } from 'node:test';
import { loadInitConfig, loadJoinConfig, validateConfigFile } from '../../src/config/load.js';
import { configHost } from './config-host.js';
async function tryInit(text: string, sockets: string[] = ['/var/run/containerd/containerd.sock']) {
  const host = configHost({ files: { '/c.yaml': text }, sockets } as any);
  try { const c = await loadInitConfig({ host, configPath: '/c.yaml', flags: {} }); console.log(JSON.stringify(c, null, 1).slice(0, 3000)); }
  catch (e: any) { console.log('ERR', e.message, JSON.stringify(e.problems ?? e, null, 1)); }
}
test('x', async () => {
  await tryInit(`apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  bindPort: 0
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
certificatesDir: ""
clusterName: ""
imageRepository: ""
encryptionAlgorithm: ""
networking:
  serviceSubnet: ""
  dnsDomain: ""
etcd:
  local:
    dataDir: ""
`);
});
