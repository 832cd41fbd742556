// Every HTTP route in the server's route table, each with its case from route-cases.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKey, routes } from '../src/http/routes.ts';
import { routeCases } from './route-cases.ts';
import { startWorld, type World } from './world.ts';

describe('every HTTP route', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.server.stop());

  it.each(routes.map(routeKey))('%s', async (key) => {
    const check = routeCases[key];
    expect(check, `no case for ${key} in security/route-cases.ts`).toBeTypeOf('function');
    await check(w);
  });
});
