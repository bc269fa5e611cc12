// Reading the runtime tools' output: crictl's container table (old and new column sets), the cgroup
// driver from crictl info or containerd's config, CRI endpoints and /proc/swaps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseContainerTable, runtimeCgroupDriver, swapDevices, unixSocketPath } from '../../src/diagnose/runtime-facts.js';

describe('parseContainerTable', () => {
  test('crictl ps -a with the POD column, free-text CREATED and a warning before the header', () => {
    const text = [
      'time="2025-01-01T00:00:00Z" level=warning msg="Config \\"/etc/crictl.yaml\\" does not exist, trying next: \\"/usr/bin/crictl.yaml\\""',
      'CONTAINER           IMAGE               CREATED              STATE               NAME                      ATTEMPT             POD ID              POD',
      '1c1e8f1cbd5e3       520212b8b0fcd       About a minute ago   Running             kube-apiserver            0                   5ed5c4accab88       kube-apiserver-node-1',
      '7c0126c9da79d       5c6ffd2b2a1d0       6 days ago           Exited              etcd                      4                   bd16e22ea4450       etcd-node-1',
      '',
    ].join('\n');
    assert.deepEqual(parseContainerTable(text), [
      { id: '1c1e8f1cbd5e3', image: '520212b8b0fcd', created: 'About a minute ago', state: 'Running', name: 'kube-apiserver', attempt: 0, podId: '5ed5c4accab88', pod: 'kube-apiserver-node-1' },
      { id: '7c0126c9da79d', image: '5c6ffd2b2a1d0', created: '6 days ago', state: 'Exited', name: 'etcd', attempt: 4, podId: 'bd16e22ea4450', pod: 'etcd-node-1' },
    ]);
  });

  test('older crictl without the POD column, newer with NAMESPACE', () => {
    const old = 'CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID\n' +
      'e932c79f6955e       23b52beab6e55       37 minutes ago      Running             kube-proxy          2                   2c131d84150ed\n';
    assert.deepEqual(parseContainerTable(old).map((r) => [r.name, r.attempt, r.pod]), [['kube-proxy', 2, undefined]]);
    const recent = 'CONTAINER           IMAGE               CREATED              STATE               NAME                ATTEMPT             POD ID              POD                        NAMESPACE\n' +
      '3dabd1809376d       43d9d8c1f8968       6 minutes ago        Running             kube-scheduler      1                   6287663861910       kube-scheduler-node-1      kube-system\n';
    assert.deepEqual(parseContainerTable(recent).map((r) => [r.name, r.attempt, r.pod]), [['kube-scheduler', 1, 'kube-scheduler-node-1']]);
  });

  test('no rows in an empty listing or an error', () => {
    assert.deepEqual(parseContainerTable('CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD\n'), []);
    assert.deepEqual(parseContainerTable('level=fatal msg="validate service connection: …"'), []);
  });
});

describe('runtimeCgroupDriver', () => {
  test("containerd's runc option, from crictl info (JSON) or config.toml", () => {
    assert.equal(runtimeCgroupDriver('{"config":{"containerd":{"runtimes":{"runc":{"options":{"BinaryName":"","SystemdCgroup": true}}}}}}'), 'systemd');
    assert.equal(runtimeCgroupDriver('{"options":{"SystemdCgroup":false}}'), 'cgroupfs');
    const toml = "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]\n            SystemdCgroup = false\n";
    assert.equal(runtimeCgroupDriver(toml), 'cgroupfs');
    assert.equal(runtimeCgroupDriver('# SystemdCgroup = true is commented out\n'), undefined);
  });

  test("CRI-O's cgroup manager; unknown otherwise", () => {
    assert.equal(runtimeCgroupDriver('[crio.runtime]\ncgroup_manager = "systemd"\n'), 'systemd');
    assert.equal(runtimeCgroupDriver('{"status":{"conditions":[]}}'), undefined);
  });
});

describe('unixSocketPath and swapDevices', () => {
  test('unix endpoints give their path; other schemes none', () => {
    assert.equal(unixSocketPath('unix:///run/containerd/containerd.sock'), '/run/containerd/containerd.sock');
    assert.equal(unixSocketPath('/var/run/crio/crio.sock'), '/var/run/crio/crio.sock');
    assert.equal(unixSocketPath('tcp://127.0.0.1:1234'), undefined);
  });

  test('active swap areas, header skipped', () => {
    assert.deepEqual(swapDevices('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'), []);
    assert.deepEqual(swapDevices('Filename Type Size Used Priority\n/swapfile file 3991548 0 -2\n/dev/dm-1 partition 4001788 0 -3\n'), ['/swapfile', '/dev/dm-1']);
    assert.deepEqual(swapDevices(undefined), []);
  });
});
