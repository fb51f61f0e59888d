import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { assertVersion, ExpectedVersion } from '../http/concurrency';
import { notFound } from '../problem/app.exception';

/**
 * The optimistic-concurrency update every versioned record shares: lock the row, 404 when it is
 * missing, 412/409 when the client's version is stale, let the caller check the change against the
 * current row, then write the changes (minus the `version` field the client sent) with version + 1.
 */
export async function updateVersioned<E extends { id: string; version: number }>(
  em: EntityManager,
  target: EntityTarget<E>,
  what: string,
  id: string,
  expected: ExpectedVersion,
  input: { version?: number } & object,
  check?: (current: E) => void | Promise<void>,
): Promise<void> {
  const current = await em.findOne(target, { where: { id } as FindOptionsWhere<E>, lock: { mode: 'pessimistic_write' } });
  if (!current) throw notFound(what, id);
  assertVersion(expected, current.version);
  await check?.(current);
  const { version: _sent, ...changes } = input;
  await em.update(target, { id } as FindOptionsWhere<E>, { ...changes, version: current.version + 1 } as unknown as QueryDeepPartialEntity<E>);
}
