import { kpaymentEmulator } from './kpayment/index.ts';
import { opnEmulator } from './opn/index.ts';

/**
 * The gateways the sandbox emulates, one folder each: `createSandbox` mounts them in this order on one app and
 * port, gives each its controls (`sandbox.<id>`) and its part of `GET /`. Adding one is a folder whose factory
 * returns a `GatewayEmulator` (see `emulator.ts`), and a line here.
 */
export const EMULATORS = [opnEmulator, kpaymentEmulator] as const;

/**
 * The emulator whose error shape the sandbox answers in where no emulator owns the path (an unknown path, the
 * clock's refusals, an unreadable body outside every router): Opn's, as it has been since the sandbox began.
 */
export const FALLBACK_EMULATOR: EmulatorId = 'opn';

type Emulator = ReturnType<(typeof EMULATORS)[number]>;

export type EmulatorId = Emulator['id'];

/** Each emulator's in-process controls, by its id. */
export type EmulatorControls = { readonly [E in Emulator as E['id']]: E['controls'] };

/** Each emulator's part of `GET /`, by its id. */
export type EmulatorDescriptions = { [E in Emulator as E['id']]: ReturnType<E['describe']> };

// The emulators' public types, re-exported by the package's entry from here only.
export type { KpaymentControls } from './kpayment/index.ts';
export { OMISE_JS } from './opn/index.ts';
export type { DeliveryAttempt, OpnControls } from './opn/index.ts';
export type { CompleteChargeParams } from './opn/params.ts';
// The fault scenario is the same for every emulator (`faults.ts`); the first three names are its older ones.
export type {
  DeliveryMode as WebhookMode,
  FaultScenarioInput as ScenarioInput,
  FaultScenarioParams as ScenarioParams,
  DeliveryMode,
  FaultScenarioInput,
  FaultScenarioParams,
  FaultScenarioView,
  InjectedCounts,
  RequestFaultKind,
} from './faults.ts';
