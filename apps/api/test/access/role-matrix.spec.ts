import { randomUUID } from 'node:crypto';
import { ROLES_BY_RANK, type Role } from '../../src/common/auth/roles';
import type { TestApp } from '../helpers/app';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';
import { describeOperation, documentedOperations, send, servedRoutes, type Operation } from '../helpers/openapi';

type Caller = 'anonymous' | Role | 'instance-admin';

/** What the route metadata says `caller` may do with `op`. */
function allowed(op: Operation, caller: Caller): boolean {
  const required = op.requiredRole!;
  if (required === 'public') return true;
  if (caller === 'anonymous') return false;
  if (required === 'instance-admin') return caller === 'instance-admin';
  // The instance admin is also the owner of its first tenant.
  const rank = ROLES_BY_RANK.indexOf(caller === 'instance-admin' ? 'owner' : caller);
  return rank >= ROLES_BY_RANK.indexOf(required as Role);
}

// Every documented route × every kind of caller, derived from the routes' own metadata
// (`x-required-role`), so a new route is covered the moment it exists.
describe('role matrix', () => {
  let app: SignedInApp;
  let api: TestApp;
  let operations: Operation[];
  const tokens = new Map<Caller, string | undefined>();

  beforeAll(async () => {
    app = await startSignedIn();
    api = app.api;
    tokens.set('anonymous', undefined);
    tokens.set('instance-admin', app.root.access_token);
    for (const role of ROLES_BY_RANK) tokens.set(role, (await app.member(`a-${role}`, role)).access_token);
    operations = await documentedOperations(api);
  });
  afterAll(() => api.close());

  it('documents every served route, each with x-required-role', () => {
    const documented = operations.map(describeOperation).sort();
    expect(servedRoutes(api).sort()).toEqual(documented);
    expect(operations.length).toBeGreaterThan(15);
    for (const op of operations) {
      expect([describeOperation(op), op.requiredRole]).toEqual([
        describeOperation(op),
        expect.stringMatching(/^(public|viewer|operator|admin|owner|instance-admin)$/),
      ]);
    }
  });

  for (const caller of ['anonymous', ...ROLES_BY_RANK, 'instance-admin'] as Caller[]) {
    it(`lets ${caller} through exactly where the route's role allows it`, async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const op of operations) {
        // An empty body: the guard answers before validation, so nothing is created.
        const response = await send(api, op, randomUUID(), { token: tokens.get(caller), body: {} });
        const code = (response.body as { code?: string }).code;
        const verdict =
          response.status === 401 && code === 'UNAUTHENTICATED'
            ? 'unauthenticated'
            : response.status === 403 && code === 'FORBIDDEN'
              ? 'forbidden'
              : 'allowed';
        outcomes.push(`${describeOperation(op)} → ${verdict}`);
        const want = allowed(op, caller) ? 'allowed' : caller === 'anonymous' ? 'unauthenticated' : 'forbidden';
        expected.push(`${describeOperation(op)} → ${want}`);
      }
      expect(outcomes).toEqual(expected);
    });
  }
});
