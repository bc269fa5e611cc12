// The three kinds of machine `config cloud-init` prepares, and what each one runs at first boot.
import { UsageError } from '../errors.js';

export const roles = Object.freeze(['control-plane', 'worker', 'control-plane-join'] as const);
export type Role = (typeof roles)[number];

/** The tskubeadm command a role's machine runs. */
export function commandOf(role: Role): 'init' | 'join' {
  return role === 'control-plane' ? 'init' : 'join';
}

export function parseRole(value: string | undefined): Role {
  if (value === undefined || value === '') {
    throw new UsageError('the --role flag is mandatory', {
      fix: `run: tskubeadm config cloud-init --role ${roles.join('|')} [--config kubeadm.yaml]`,
    });
  }
  if (!(roles as readonly string[]).includes(value)) {
    throw new UsageError(`unknown role "${value}"`, { fix: `--role takes one of: ${roles.join(', ')}` });
  }
  return value as Role;
}
