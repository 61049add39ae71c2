import { createSandbox } from '@payment-checkout/sandbox';

/**
 * The server benchmark's gateway: the sandbox in a process of its own, on a free loopback port. Prints
 * `{"url","pid"}` once listening; SIGTERM closes it.
 */
const sandbox = createSandbox();
const server = await sandbox.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
