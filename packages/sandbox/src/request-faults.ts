import type { NextFunction, Request, Response } from 'express';
import type { FaultScenario, RequestFault } from './faults.ts';

/** An emulator's error body for an injected status (Opn's `{object:"error", location, code, message}`, K-Payment's…). */
export type InjectedErrorBody = (status: number, message: string) => object;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies a merchant's scenario to one API request, after authentication: latency first, then its fault if it
 * has one. Before the effect the handler never runs; after it, the handler runs and its answer is replaced by the
 * error, held, or cut off — the gateway did the work and the client cannot tell (a charge made, its answer lost).
 */
export async function applyRequestFaults(
  scenario: FaultScenario,
  req: Request,
  res: Response,
  next: NextFunction,
  errorBody: InjectedErrorBody,
): Promise<void> {
  // One endpoint with or without its trailing slash (omise.js posts to `/sources/`; a scenario names `POST /sources`).
  const fault = scenario.requestFault(`${req.method} ${req.path.replace(/(?<=.)\/+$/, '')}`);
  if (scenario.latencyMs > 0) await sleep(scenario.latencyMs);
  if (!fault) return next();
  const inject = (send: Send) => injectFault(fault, req, send, errorBody, scenario.hangMs);
  if (!fault.afterEffect) return inject((status, body) => res.status(status).json(body));
  replaceAnswer(res, inject);
  next();
}

type Send = (status: number, body: object) => void;

function injectFault(fault: RequestFault, req: Request, send: Send, errorBody: InjectedErrorBody, hangMs: number): void {
  if (fault.kind === 'reset') return reset(req);
  if (fault.kind === 'timeout') return hang(req, hangMs);
  const when = fault.afterEffect ? ' after the request took effect' : '';
  send(fault.status, errorBody(fault.status, `injected failure${when} (sandbox scenario ${fault.source}, HTTP ${fault.status})`));
}

/** Destroys the connection with a TCP reset, as a crashed proxy or a dropped link does. */
function reset(req: Request): void {
  const socket = req.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** Leaves the request unanswered until the client gives up (its socket closes) or `hangMs` pass, then closes it. */
function hang(req: Request, hangMs: number): void {
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), hangMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Lets the handler run and does `instead` in place of sending whatever it answers (JSON, an error, anything that
 * ends the response). The handler's body headers describe the lost answer, so they go.
 */
function replaceAnswer(res: Response, instead: (send: Send) => void): void {
  const end = res.end.bind(res) as (chunk?: string) => Response;
  let done = false;
  res.end = ((..._args: unknown[]) => {
    if (done) return res;
    done = true;
    instead((status, body) => {
      for (const header of ['content-length', 'content-type', 'etag']) res.removeHeader(header);
      res.status(status).setHeader('content-type', 'application/json; charset=utf-8');
      end(JSON.stringify(body));
    });
    return res;
  }) as Response['end'];
}
