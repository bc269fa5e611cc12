// How a plain command (token, certs, config, kubeconfig) honours -o: the option itself, and with
// json or yaml, progress lines moved to stderr so stdout carries exactly one document.
import { Option } from 'commander';
import { formatResult, type DataFormat, type ResultFormat } from '../output/result-format.js';
import type { CliDeps } from './deps.js';

/** `-o, --output <format>`: the allowed formats are checked by commander, a usage error before the action runs. */
export function outputOption<F extends string>(formats: readonly F[], fallback: F, description = 'Output format of the result'): Option {
  return new Option('-o, --output <format>', description).choices([...formats]).default(fallback);
}

/** The deps a command's progress output is built from: with a data format its "stdout" is stderr. */
export function progressDeps(deps: CliDeps, format: string): CliDeps {
  return format === 'text' ? deps : { ...deps, stdout: deps.stderr };
}

/** Prints the result: `text` through the command's own printer, json/yaml as one document on the real stdout. */
export async function printResult(deps: CliDeps, format: ResultFormat, result: () => object, text: () => string): Promise<void> {
  deps.stdout(format === 'text' ? text() : await formatResult(result(), format as DataFormat));
}
