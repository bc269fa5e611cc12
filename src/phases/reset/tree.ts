// The reset workflow, in kubeadm's execution order. The CLI (flags, `reset phase …` subcommands,
// --skip-phases validation, help listing) and docs/commands.md are generated from it.
// Later phases are appended here as they are built, never as placeholders.
import type { Phase } from '../../workflow/phase.js';
import type { ResetContext } from './context.js';
import { preflight } from './preflight.js';

export const resetPhases: readonly Phase<ResetContext>[] = Object.freeze([preflight]);
