/** The demo's two servers, as its flags name their ports (`--port`, `--sandbox-port`). */
export type DemoServer = 'shop' | 'sandbox';

/** A server of the demo could not listen: another process holds its port. */
export class PortInUseError extends Error {
  readonly code = 'port_in_use';

  constructor(
    readonly server: DemoServer,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`port ${port} (the ${server}'s) is already in use`, options);
    this.name = 'PortInUseError';
  }
}

/** Runs `listen`, telling a taken port (EADDRINUSE) apart from every other failure, with the server it was for. */
export async function listenOrExplain<T>(server: DemoServer, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(server, port, { cause: err });
    throw err;
  }
}
