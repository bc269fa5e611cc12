// Realistic static Pods to patch in tests, built by src/manifests/static-pod.ts as the phases build them.
import { staticPod } from '../../src/manifests/static-pod.js';

const mount = (name: string, hostPath: string, readOnly: boolean, pathType: string) =>
  ({ name, hostPath, mountPath: hostPath, readOnly, pathType });

export function apiServerPod(): Record<string, unknown> {
  return staticPod('kube-apiserver', {
    image: 'registry.k8s.io/kube-apiserver:v1.34.1',
    command: [
      'kube-apiserver', '--advertise-address=192.168.8.201', '--allow-privileged=true', '--authorization-mode=Node,RBAC',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--secure-port=6443',
      '--service-cluster-ip-range=10.96.0.0/12', '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
      '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    ],
    probeHost: '192.168.8.201',
    probePort: 6443,
    startupFailureThreshold: 24,
    volumes: [
      mount('ca-certs', '/etc/ssl/certs', true, 'DirectoryOrCreate'),
      mount('etc-ca-certificates', '/etc/ca-certificates', true, 'DirectoryOrCreate'),
      mount('k8s-certs', '/etc/kubernetes/pki', true, 'DirectoryOrCreate'),
      mount('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', true, 'DirectoryOrCreate'),
      mount('usr-share-ca-certificates', '/usr/share/ca-certificates', true, 'DirectoryOrCreate'),
    ],
    mountOrder: 'sorted',
    env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }, { name: 'NO_PROXY', value: '10.0.0.0/8' }],
    annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': '192.168.8.201:6443' },
  });
}

export function etcdPod(): Record<string, unknown> {
  return staticPod('etcd', {
    image: 'registry.k8s.io/etcd:3.6.4-0',
    command: [
      'etcd', '--advertise-client-urls=https://192.168.8.201:2379', '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
      '--data-dir=/var/lib/etcd', '--listen-client-urls=https://127.0.0.1:2379,https://192.168.8.201:2379',
      '--listen-metrics-urls=http://127.0.0.1:2381', '--name=cp1',
    ],
    probeHost: '127.0.0.1',
    probePort: 2381,
    startupFailureThreshold: 24,
    volumes: [
      { name: 'etcd-data', hostPath: '/var/lib/etcd', mountPath: '/var/lib/etcd', readOnly: false, pathType: 'DirectoryOrCreate' },
      { name: 'etcd-certs', hostPath: '/etc/kubernetes/pki/etcd', mountPath: '/etc/kubernetes/pki/etcd', readOnly: false, pathType: 'DirectoryOrCreate' },
    ],
    mountOrder: 'given',
    env: [],
    annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': 'https://192.168.8.201:2379' },
  });
}
