// The init workflow, in kubeadm's execution order. The CLI (flags, `init phase …` subcommands,
// --skip-phases validation, help listing) and docs/commands.md are generated from it.
// Later phases are appended here as they are built, never as placeholders.
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';
import { addon } from './addons.js';
import { bootstrapToken } from './bootstrap-token.js';
import { certs } from './certs.js';
import { controlPlane } from './control-plane.js';
import { etcd } from './etcd.js';
import { kubeconfig } from './kubeconfig.js';
import { kubeletFinalize } from './kubelet-finalize.js';
import { kubeletStart } from './kubelet-start.js';
import { markControlPlane } from './mark-control-plane.js';
import { preflight } from './preflight.js';
import { showJoinCommand } from './show-join-command.js';
import { uploadCerts } from './upload-certs.js';
import { uploadConfig } from './upload-config.js';
import { waitControlPlane } from './wait-control-plane.js';

export const initPhases: readonly Phase<InitContext>[] = Object.freeze([
  preflight, certs, kubeconfig, etcd, controlPlane, kubeletStart, waitControlPlane,
  uploadConfig, uploadCerts, markControlPlane, bootstrapToken, kubeletFinalize, addon, showJoinCommand,
]);
