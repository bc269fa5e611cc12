// The yes/no question reset asks on a terminal. @inquirer/prompts is loaded only when a
// question is actually asked; the CLI never asks without a TTY (it requires --force instead),
// because a prompt on a closed or silent stdin would hang an unattended run.

/** kubeadm accepts only y/Y; the default, as in kubeadm, is no. */
export async function askYesNo(question: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  // Asked on stderr, beside the warning before it: stdout may be a file (`reset -o json > report.json`), where a
  // question would corrupt the result and never be seen.
  return confirm({ message: question, default: false }, { output: process.stderr });
}
