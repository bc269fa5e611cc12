import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass, type PreflightTarget } from '../../../src/preflight/check.js';
import { criReady, imagePull, socketPath } from '../../../src/preflight/checks/runtime.js';
import { crictlImageKey, crictlKey, healthyHost, initTargetOf, runOn } from '../healthy-host.js';

const sock = '/var/run/containerd/containerd.sock';

describe('CRI', () => {
  it('passes when the socket answers and the runtime is ready', async () => {
    assert.deepEqual(await runOn(criReady, healthyHost()), pass);
  });

  it("is an error when the socket is missing, in the words of kubeadm's dial error", async () => {
    const r = await runOn(criReady, healthyHost({ sockets: [] }));
    assert.match(r.errors[0] ?? '',
      /^could not connect to the container runtime: dial unix \/var\/run\/containerd\/containerd\.sock: connect: no such file or directory — start the container runtime/);
  });

  it('is an error when the path holds no listening socket (a stale file left by a crashed runtime)', async () => {
    const r = await runOn(criReady, healthyHost({ sockets: [], files: { [sock]: '' } }));
    assert.match(r.errors[0] ?? '', /^could not connect to the container runtime: dial unix \/var\/run\/containerd\/containerd\.sock: connect: connection refused — /);
  });

  it('is an error when crictl cannot reach the runtime', async () => {
    const r = await runOn(criReady, healthyHost({
      commands: { [crictlKey('info')]: { exitCode: 1, stderr: 'validate service connection: connection refused\nmore\n' } },
    }));
    assert.match(r.errors[0] ?? '', /^container runtime is not running: validate service connection: connection refused — /);
  });

  it('is an error when RuntimeReady is false (NetworkReady is not looked at)', async () => {
    const info = JSON.stringify({ status: { conditions: [{ type: 'RuntimeReady', status: false, reason: 'Starting', message: 'not yet' }] } });
    const r = await runOn(criReady, healthyHost({ commands: { [crictlKey('info')]: { stdout: info } } }));
    assert.match(r.errors[0] ?? '', /^container runtime condition is not true: condition "RuntimeReady", reason: Starting, message: not yet — /);
  });

  it('without crictl, an existing socket is enough (FileExisting-crictl reports the tool)', async () => {
    const host = healthyHost({ path: ['systemctl'] });
    assert.deepEqual(await runOn(criReady, host), pass);
    assert.equal(host.execCalls.length, 0);
  });

  it('refuses endpoints that are not unix sockets', async () => {
    assert.equal(socketPath('unix:///run/crio/crio.sock'), '/run/crio/crio.sock');
    assert.equal(socketPath('npipe:////./pipe/containerd'), undefined);
    const t: PreflightTarget = { ...initTargetOf(), criSocket: 'tcp://10.0.0.1:1234' };
    const r = await runOn(criReady, healthyHost(), t);
    assert.match(r.errors[0] ?? '', /unsupported CRI endpoint "tcp:\/\/10\.0\.0\.1:1234"/);
  });
});

describe('ImagePull', () => {
  const images = ['registry.k8s.io/kube-apiserver:v1.35.0', 'registry.k8s.io/pause:3.10.1'];
  const targetWith = (policy: string, serial = true): PreflightTarget => ({ ...initTargetOf(), imagePull: { images, policy, serial } });

  it('pulls nothing with policy Never, and refuses unknown policies', async () => {
    const host = healthyHost();
    assert.deepEqual(await runOn(imagePull, host, targetWith('Never')), pass);
    assert.deepEqual(host.execCalls, []);
    assert.deepEqual((await runOn(imagePull, healthyHost(), targetWith('Sometimes'))).errors,
      ['unsupported pull policy "Sometimes" — set nodeRegistration.imagePullPolicy to Always, IfNotPresent or Never']);
  });

  it('IfNotPresent skips images the runtime has and pulls the rest, in order, as mutations', async () => {
    const host = healthyHost({ commands: {
      [crictlImageKey('inspecti', '-q', images[0]!)]: { stdout: '{}' },
      [crictlImageKey('inspecti', '-q', images[1]!)]: { exitCode: 1 },
      [crictlImageKey('pull', images[1]!)]: { stdout: 'Image is up to date' },
    } });
    assert.deepEqual(await runOn(imagePull, host, targetWith('IfNotPresent')), pass);
    assert.deepEqual(host.mutations, [{ action: 'exec', argv: crictlImageKey('pull', images[1]!).split(' ') }]);
  });

  it('Always pulls every image and retries a failing pull five times', async () => {
    let attempts = 0;
    const host = healthyHost({ commands: {
      [crictlImageKey('pull', images[0]!)]: {},
      [crictlImageKey('pull', images[1]!)]: () => { attempts++; return { exitCode: 1, stderr: 'rpc error: code = NotFound\n' }; },
    } });
    const r = await runOn(imagePull, host, targetWith('Always'));
    assert.equal(attempts, 5);
    assert.deepEqual(r.errors.map((e) => e.split(' — ')[0]), [`failed to pull image ${images[1]}: rpc error: code = NotFound`]);
    assert.equal(host.mutations.length, 6);
  });

  it('pulls in parallel when imagePullSerial is false', async () => {
    let inFlight = 0;
    let most = 0;
    const slowPull = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return {};
    };
    const host = healthyHost({ commands: { [crictlImageKey('pull', images[0]!)]: slowPull, [crictlImageKey('pull', images[1]!)]: slowPull } });
    assert.deepEqual(await runOn(imagePull, host, targetWith('Always', false)), pass);
    assert.equal(most, 2);
  });

  it('says once, not per image, that there is no crictl or no runtime socket to pull with', async () => {
    const withoutCrictl = healthyHost({ path: ['kubelet'] });
    const r1 = await runOn(imagePull, withoutCrictl, targetWith('Always'));
    assert.deepEqual(r1.errors.map((e) => e.split(' — ')[0]), ['cannot pull the 2 control-plane images: crictl not found in system path']);
    assert.deepEqual(withoutCrictl.execCalls, []);
    const withoutSocket = healthyHost({ sockets: [] });
    const r2 = await runOn(imagePull, withoutSocket, targetWith('IfNotPresent'));
    assert.deepEqual(r2.errors.map((e) => e.split(' — ')[0]), [`cannot pull the 2 control-plane images: the container runtime does not answer: dial unix ${sock}: connect: no such file or directory`]);
    assert.deepEqual(withoutSocket.execCalls, []);
  });
});
