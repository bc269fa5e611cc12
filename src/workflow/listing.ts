// The phase listing appended to a workflow command's help, as kubeadm's Runner.Help:
// children indented under their parent as `/child`, hidden and `all` phases left out.
// Unlike kubeadm, descriptions line up across levels.
import type { Phase } from './phase.js';
import { placePhases } from './tree.js';

export function phaseListing<C>(commandName: string, tree: readonly Phase<C>[]): string {
  const hiddenRoots: string[] = [];
  const rows = placePhases(tree)
    .filter((p) => {
      const underHidden = hiddenRoots.some((h) => p.path.startsWith(`${h}/`));
      if (p.phase.hidden === true && !underHidden) hiddenRoots.push(p.path);
      return p.phase.hidden !== true && !underHidden && p.phase.selectsParent !== true;
    })
    .map((p) => ({ left: `${'  '.repeat(p.depth)}${p.depth === 0 ? '' : '/'}${p.phase.name}`, short: p.phase.short }));
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  const lines = rows.map((r) => `${r.left.padEnd(width + 2)}${r.short}`.trimEnd());
  return [`The "${commandName}" command executes the following phases:`, ...lines].join('\n');
}
