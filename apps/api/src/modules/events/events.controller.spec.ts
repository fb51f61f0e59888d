import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type { Principal } from '../../common/auth/principal';
import type { TenantContext } from '../../common/database/tenant-context';
import type { AppConfig } from '../../config/config';
import type { EventHub, Subscriber } from './event-hub';
import { EventsController } from './events.controller';

/** A response that records what was sent, in order. */
class FakeResponse extends EventEmitter {
  readonly log: string[] = [];
  headers: Record<string, string> = {};
  ended = false;
  status(code: number) {
    this.log.push(`status ${code}`);
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  flushHeaders() {
    this.log.push(`headers ${this.headers['content-type'] ?? '(none)'}`);
  }
  write(chunk: string) {
    this.log.push(`write ${chunk.includes('event: ') ? /event: (\w+)/.exec(chunk)![1] : chunk.trim().split('\n')[0]}`);
    return true;
  }
  end() {
    this.ended = true;
    this.log.push('end');
  }
}

const principal: Principal = { kind: 'user', id: 'u-1', tenantId: 't-1', role: 'dispatcher', name: 'Dana', sessionVersion: 3, expiresAt: Date.now() + 600_000 };
const caseEvent = { tenantId: 't-1', event: { type: 'case' as const, caseId: 'c-1', version: 2, status: 'open' } };

function setup() {
  const subscribers: Subscriber[] = [];
  const hub = {
    countOf: () => subscribers.length,
    subscribe: (s: Subscriber) => {
      subscribers.push(s);
      return () => subscribers.splice(subscribers.indexOf(s), 1);
    },
  } as unknown as EventHub;
  // The session check is held open until the test lets it finish (or fail).
  let finish!: (err?: Error) => void;
  const tenant = {
    run: () => new Promise<void>((resolve, reject) => (finish = (err) => (err ? reject(err) : resolve()))),
  } as unknown as TenantContext;
  const controller = new EventsController(hub, tenant, { eventStreamsPerUser: 5 } as AppConfig);
  const res = new FakeResponse();
  return { controller, subscribers, res, finish: (err?: Error) => finish(err) };
}

describe('EventsController.stream while the session check runs', () => {
  afterEach(() => jest.useRealTimers());

  it('holds back events that arrive before the check passed, then sends the event-stream headers first', async () => {
    jest.useFakeTimers();
    const { controller, subscribers, res, finish } = setup();
    const opened = controller.stream(principal, res as unknown as Response);
    subscribers[0].send(caseEvent);
    expect(res.log).toEqual([]);
    finish();
    await opened;
    expect(res.log).toEqual(['status 200', 'headers text/event-stream; charset=utf-8', 'write retry: 3000', 'write case']);
    res.emit('close');
    expect(subscribers).toHaveLength(0);
  });

  it('answers 401 when the session ends during the check, and unsubscribes', async () => {
    const { controller, subscribers, res, finish } = setup();
    const opened = controller.stream(principal, res as unknown as Response);
    subscribers[0].close();
    finish();
    await expect(opened).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(res.log).toEqual([]);
    expect(subscribers).toHaveLength(0);
  });

  it('unsubscribes when the check fails or the client leaves during it', async () => {
    const failed = setup();
    const a = failed.controller.stream(principal, failed.res as unknown as Response);
    failed.finish(new Error('refused'));
    await expect(a).rejects.toThrow('refused');
    expect(failed.subscribers).toHaveLength(0);

    const left = setup();
    const b = left.controller.stream(principal, left.res as unknown as Response);
    left.res.emit('close');
    left.finish();
    await expect(b).rejects.toMatchObject({ status: 401 });
    expect(left.subscribers).toHaveLength(0);
  });

  it('closes the stream when the token expires', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { controller, subscribers, res, finish } = setup();
    const opened = controller.stream({ ...principal, expiresAt: 1_000_000 + 60_000 }, res as unknown as Response);
    finish();
    await opened;
    jest.advanceTimersByTime(59_999);
    expect(res.ended).toBe(false);
    jest.advanceTimersByTime(1);
    expect(res.ended).toBe(true);
    expect(subscribers).toHaveLength(0);
  });
});
