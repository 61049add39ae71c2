import { KPAYMENT } from './kpayment/kpayment-module.ts';
import { OPN } from './opn/opn-module.ts';

/**
 * The one place that lists the built-in gateways, by the option key a merchant writes
 * (`createCheckout({ opn: {…}, kpayment: {…} })`) and the environment variables `loadConfigFromEnv` reads. The
 * first one is the default world: with nothing configured, it runs against the sandbox. A gateway that is not
 * built in plugs in through `createCheckout({ gateways: [myGateway(options)] })` instead.
 */
export const BUILTIN_GATEWAYS = { opn: OPN, kpayment: KPAYMENT } as const;

export type BuiltinGatewayId = keyof typeof BUILTIN_GATEWAYS;
export type BuiltinGatewayModules = { [K in BuiltinGatewayId]: ReturnType<ReturnType<(typeof BUILTIN_GATEWAYS)[K]['plugin']>['create']> };
