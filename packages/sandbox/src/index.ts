export { createSandbox, describeSandbox } from './sandbox.ts';
export type { ListeningSandbox, Sandbox, SandboxOptions } from './sandbox.ts';
export type { DeliveryAttempt, OpnControls } from './opn/index.ts';
export { OMISE_JS } from './opn/index.ts';
export type { CompleteChargeParams, ScenarioInput, ScenarioParams, WebhookMode } from './opn/params.ts';
