import type { EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import type { TenantContext } from '../../common/database/tenant-context';
import { expectedStepMinutes, replanCase } from './alert-planner';
import { AlertPlanner } from './alert-planner.service';

jest.mock('./alert-planner', () => ({
  replanCase: jest.fn(async () => ({ planned: 1, cancelled: 0 })),
  expectedStepMinutes: jest.fn(async () => new Map([['hvac', { arrival: 30 }]])),
}));

const TENANT = '11111111-1111-4111-8111-111111111111';
const NOW = new Date('2026-03-02T09:00:00Z');
const clock: Clock = { now: () => NOW };

/** A tenant context without a database: records each transaction and answers the open-case query from `open`. */
function fakeTenant(open: string[]) {
  const transactions: string[][] = [];
  let current: string[] | null = null;
  const manager = {
    query: jest.fn(async (_text: string, params: [string, string, number]) => {
      const [, after, limit] = params;
      return open.filter((id) => id > after).slice(0, limit).map((id) => ({ id }));
    }),
  } as unknown as EntityManager;
  const tenant = {
    tenantId: TENANT,
    manager,
    run: jest.fn(async (_tenantId: string, work: () => Promise<unknown>) => {
      current = [];
      transactions.push(current);
      try {
        return await work();
      } finally {
        current = null;
      }
    }),
  } as unknown as TenantContext;
  jest.mocked(replanCase).mockImplementation(async (_sql, caseId) => {
    current?.push(caseId);
    return { planned: 1, cancelled: 0 };
  });
  return { tenant, transactions };
}

describe('AlertPlanner', () => {
  beforeEach(() => jest.clearAllMocks());

  it('re-plans one case in the caller’s transaction at the injected clock’s time', async () => {
    const { tenant } = fakeTenant([]);
    await new AlertPlanner(tenant, clock).replanCase('case-1');
    expect(replanCase).toHaveBeenCalledWith(expect.any(Function), 'case-1', NOW);
    expect(tenant.run).not.toHaveBeenCalled(); // no transaction of its own
  });

  it.each([
    // open cases → transactions of at most 200 cases each, in id order
    { open: 0, batches: [0] },
    { open: 199, batches: [199] },
    { open: 200, batches: [200, 0] }, // a full batch asks once more
    { open: 450, batches: [200, 200, 50] },
  ])('re-plans a tenant’s $open open cases in batches of $batches', async ({ open, batches }) => {
    const ids = Array.from({ length: open }, (_, i) => `case-${String(i).padStart(4, '0')}`);
    const { tenant, transactions } = fakeTenant(ids);
    const total = await new AlertPlanner(tenant, clock).replanTenant(TENANT);
    expect(total).toBe(open);
    expect(transactions.map((t) => t.length)).toEqual(batches);
    expect(transactions.flat()).toEqual(ids); // each once, in order
    expect(tenant.run).toHaveBeenCalledTimes(batches.length);
    expect(jest.mocked(tenant.run).mock.calls.every(([t]) => t === TENANT)).toBe(true);
  });

  it('passes expectedStepMinutes through for the request’s tenant', async () => {
    const { tenant } = fakeTenant([]);
    const answer = await new AlertPlanner(tenant, clock).expectedStepMinutes(['hvac', null]);
    expect(expectedStepMinutes).toHaveBeenCalledWith(expect.any(Function), TENANT, ['hvac', null]);
    expect(answer.get('hvac')).toEqual({ arrival: 30 });
  });
});
