// The join workflow, in kubeadm's execution order. The CLI (flags, `join phase …` subcommands,
// --skip-phases validation, help listing) and docs/commands.md are generated from it.
import type { Phase } from '../../workflow/phase.js';
import type { JoinContext } from './context.js';
import { checkEtcd } from './check-etcd.js';
import { controlPlaneJoin } from './control-plane-join.js';
import { controlPlanePrepare } from './control-plane-prepare.js';
import { etcdJoin } from './etcd-join.js';
import { kubeletStart } from './kubelet-start.js';
import { kubeletWaitBootstrap } from './kubelet-wait-bootstrap.js';
import { preflight } from './preflight.js';
import { waitControlPlane } from './wait-control-plane.js';

// kubeadm (cmd/join.go) hides etcd-join and kubelet-wait-bootstrap while ControlPlaneKubeletLocalMode
// is beta; they run by default, so they are listed here like every other phase.
export const joinPhases: readonly Phase<JoinContext>[] = Object.freeze([
  preflight, controlPlanePrepare, checkEtcd, kubeletStart, etcdJoin, kubeletWaitBootstrap, controlPlaneJoin, waitControlPlane,
]);
