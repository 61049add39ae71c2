import { afterEach } from 'vitest';
import { type World, type WorldOptions, startWorld } from './world.ts';

/**
 * The K-Payment tests' world, one per test: `open()` starts it (K-Payment configured, unless the options say
 * otherwise) and the end of each test closes it. `world` is the one opened last: an ES module's live binding,
 * so that a test file that imports it reads the current world.
 */
export let world: World;

afterEach(async () => {
  await world?.close();
});

export async function open(options: WorldOptions = {}): Promise<World> {
  world = await startWorld({ kpayment: true, ...options });
  return world;
}
