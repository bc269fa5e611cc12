// The reset workflow, in kubeadm's execution order. The CLI (flags, `reset phase …` subcommands,
// --skip-phases validation, help listing) and docs/commands.md are generated from it.
import type { Phase } from '../../workflow/phase.js';
import { cleanupNode } from './cleanup-node.js';
import type { ResetContext } from './context.js';
import { preflight } from './preflight.js';
import { removeEtcdMember } from './remove-etcd-member.js';

export const resetPhases: readonly Phase<ResetContext>[] = Object.freeze([preflight, removeEtcdMember, cleanupNode]);
