import express, { type RequestHandler } from 'express';
import { CheckoutError } from '@payment-checkout/core';
import { type ConfigIssue, describeZodIssue, throwIfIssues } from '../common/config-error.ts';
import type { Logger } from '../common/logger.ts';
import type { GatewayDefinition, GatewayModule, GatewayPlugin } from './module.ts';

/**
 * A gateway's factory from its definition: `opn({ … })` validates and completes the options at once (throwing
 * CheckoutConfigError with paths under the gateway's id) and answers the plugin `createCheckout` builds.
 */
export function factoryOf<Input, Resolved, M extends GatewayModule>(definition: GatewayDefinition<Input, Resolved, M>): (options: Input) => GatewayPlugin<M> {
  return (input) => definition.plugin(resolveDefinition(definition, input));
}

/** Parses and completes a gateway's options; throws CheckoutConfigError naming every bad option. */
export function resolveDefinition<Input, Resolved>(definition: GatewayDefinition<Input, Resolved>, input: unknown): Resolved {
  const parsed = definition.options.safeParse(input ?? {});
  if (!parsed.success) throwIfIssues(parsed.error.issues.map((issue) => describeZodIssue(issue, definition.id)));
  const issues: ConfigIssue[] = [];
  const resolved = definition.resolve(parsed.data, issues);
  throwIfIssues(issues);
  return resolved;
}

/**
 * A webhook route's body, kept raw (signatures are computed over the exact bytes). A host's `express.json()`
 * mounted before the companion would have eaten them: that is a set-up error, said in the log.
 */
export function rawWebhookBody(what: string, limit: string, logger: Logger): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit }),
    (req, _res, next) => {
      if (Buffer.isBuffer(req.body)) return next();
      // A request with no body at all (no Content-Length, no Transfer-Encoding: `curl -X POST`) is read as an empty
      // one; a body that is there but not a Buffer was parsed before the router saw it.
      if (req.body === undefined) {
        req.body = Buffer.alloc(0);
        return next();
      }
      logger.error(`the ${what} body was already parsed: mount the checkout router before express.json()`);
      next(new CheckoutError('internal_error', 'Webhook body unavailable.'));
    },
  ];
}
