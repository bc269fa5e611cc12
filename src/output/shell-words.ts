// A command line for people to read (plans, support files): each argument quoted for a POSIX shell
// only where needed. Nothing is ever run through a shell; argv arrays go to the host as they are.

/** One argument, single-quoted unless it is made of characters a shell leaves alone. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** The whole command line. */
export function shellWords(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
