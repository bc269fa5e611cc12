// What `tskubeadm version` reports about this build. The bundler may define
// __TSKUBEADM_BUILD__ ({ gitCommit, gitTreeState, buildDate }); a development checkout
// run through tsx has none, and reports empty strings rather than guesses.
import pkg from '../../package.json' with { type: 'json' };

declare const __TSKUBEADM_BUILD__: { gitCommit?: string; gitTreeState?: string; buildDate?: string } | undefined;

export interface BuildInfo {
  /** Semantic version of this tskubeadm, without `v`. */
  readonly version: string;
  readonly gitCommit: string;
  readonly gitTreeState: string;
  readonly buildDate: string;
}

export function buildInfo(): BuildInfo {
  const defined = typeof __TSKUBEADM_BUILD__ === 'undefined' ? undefined : __TSKUBEADM_BUILD__;
  return {
    version: pkg.version,
    gitCommit: defined?.gitCommit ?? '',
    gitTreeState: defined?.gitTreeState ?? '',
    buildDate: defined?.buildDate ?? '',
  };
}
