import { OperationsClient } from './api-client.ts';
import { type Flags, parseInvocation } from './args.ts';
import { type Output, RUN } from './commands.ts';
import { ExitCode, MissingTokenError, UsageError, exitCodeOf } from './exit-codes.ts';
import { formatError, printableLines } from './format.ts';
import { HELP } from './help.ts';

/**
 * `payments`, the merchant's command line over the operations API (bin/payments.mjs runs `main`). Everything
 * it does goes through the API with an operations token; it never reads the store or calls a gateway.
 */

export interface CliContext {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  fetch?: typeof fetch;
}

export async function runCli(context: CliContext): Promise<ExitCode> {
  // The token is a secret: whatever is printed (an echoed argument, an error) never shows it.
  const secrets = [context.env.PAYMENTS_API_TOKEN, tokenInArgv(context.argv)].filter((s): s is string => !!s && s.length >= 8);
  const redact = (text: string) => secrets.reduce((t, secret) => t.replaceAll(secret, '[token]'), text);
  // For people, no control character reaches the terminal (format.ts); --json's answer goes out as the API wrote it.
  let json = false;
  const output: Output = {
    out: (text) => context.stdout(`${json ? redact(text) : printableLines(redact(text))}\n`),
    err: (text) => context.stderr(`${printableLines(redact(text))}\n`),
  };
  try {
    const invocation = parseInvocation(context.argv);
    json = invocation.flags.json === true;
    if (invocation.command === 'help') {
      output.out(HELP.trimEnd());
      return ExitCode.ok;
    }
    const client = connect(invocation.flags, context, output);
    await RUN[invocation.command](client, invocation, output);
    return ExitCode.ok;
  } catch (error) {
    output.err(formatError(error));
    return exitCodeOf(error);
  }
}

/** The process's own entry: real argv, environment and streams. */
export function main(argv: readonly string[]): Promise<ExitCode> {
  // `payments list | head` closes the pipe early: nothing more to say, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return runCli({ argv, env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
}

/** The client for `--url`/`--token`, else PAYMENTS_API_URL/PAYMENTS_API_TOKEN. */
function connect(flags: Flags, context: CliContext, output: Output): OperationsClient {
  const url = flags.url ?? context.env.PAYMENTS_API_URL;
  const token = flags.token ?? context.env.PAYMENTS_API_TOKEN;
  if (!url) throw new UsageError('Set PAYMENTS_API_URL (or --url) to the operations API, e.g. http://127.0.0.1:3000/operations.');
  if (!token) throw new MissingTokenError('Set PAYMENTS_API_TOKEN (or --token) to an operations token.');
  let baseUrl: URL;
  try {
    baseUrl = new URL(url);
  } catch {
    throw new UsageError(`Not a URL: "${url}".`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new UsageError(`The API URL must be http(s): "${url}".`);
  if (baseUrl.username || baseUrl.password || baseUrl.search || baseUrl.hash) {
    throw new UsageError('The API URL takes no user, password, query or fragment; the token goes in PAYMENTS_API_TOKEN.');
  }
  if (baseUrl.protocol === 'http:' && !isLoopback(baseUrl.hostname)) {
    output.err(`Warning: the token is sent unencrypted to ${baseUrl.host}; use https beyond this machine.`);
  }
  return new OperationsClient({ baseUrl, token, fetch: context.fetch });
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The value of `--token X` or `--token=X`, if given (to redact it even when the command line does not parse). */
function tokenInArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--token') return argv[i + 1];
    if (argv[i].startsWith('--token=')) return argv[i].slice('--token='.length);
  }
  return undefined;
}
