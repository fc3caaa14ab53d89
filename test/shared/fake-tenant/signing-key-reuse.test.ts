// reuseSigningKeys, the test-only speed option: a closed tenant's keys serve the next tenant of the
// process, and each tenant still behaves as one with keys of its own.
import { expect, test } from 'vitest';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';

const kids = (tenant: FakeTenant) => tenant.keys.jwks().keys.map((key) => key.kid);

test('two open tenants never share a key; a closed tenant\'s key serves the next one', async () => {
  const first = await FakeTenant.create({ reuseSigningKeys: true });
  const second = await FakeTenant.create({ reuseSigningKeys: true });
  expect(kids(second), 'open at the same time: keys of their own').not.toEqual(kids(first));
  const token = await first.keys.sign({ sub: 'someone' });
  await expect(second.keys.verify(token), "one open tenant refuses the other's token").rejects.toThrow();

  const firstKids = kids(first);
  first.close();
  const third = await FakeTenant.create({ reuseSigningKeys: true });
  expect(kids(third), 'the next tenant signs with the key the closed one gave back').toEqual(firstKids);
  second.close();
  third.close();
});

test('a rotation brings a key the tenant never had, and dropping the old one still refuses its tokens', async () => {
  const tenant = await FakeTenant.create({ reuseSigningKeys: true });
  const seen = new Set(kids(tenant));
  const before = await tenant.keys.sign({ sub: 'someone' });
  for (let rotation = 0; rotation < 3; rotation += 1) {
    await tenant.faults.rotateKeys();
    const [newest] = kids(tenant);
    expect(seen.has(newest!), 'a kid this tenant never published').toBe(false);
    seen.add(newest!);
  }
  await tenant.faults.rotateKeys({ dropOld: true });
  await expect(tenant.keys.verify(before), 'a token signed with a withdrawn key is refused').rejects.toThrow();
  tenant.close();
});

test('without the option, every tenant generates its own key', async () => {
  const reused = await FakeTenant.create({ reuseSigningKeys: true });
  const spare = kids(reused);
  reused.close();
  const fresh = await FakeTenant.create();
  expect(kids(fresh), 'a spare key is not taken').not.toEqual(spare);
  fresh.close();
  const taker = await FakeTenant.create({ reuseSigningKeys: true });
  expect(kids(taker), 'the spare is still there for a tenant that asks').toEqual(spare);
  taker.close();
});
