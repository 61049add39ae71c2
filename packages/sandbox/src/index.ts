export { createSandbox } from './sandbox.ts';
export type { ListeningSandbox, Sandbox, SandboxDescription, SandboxOptions } from './sandbox.ts';
export type { EmulatorContext, GatewayEmulator } from './emulator.ts';
// Each emulator's public types come through the registry, the one file that names the gateways.
export * from './emulators.ts';
// The fault scenarios' seeded generator, for test suites that replay a run from its printed seed.
export { seededRandom } from './faults.ts';
