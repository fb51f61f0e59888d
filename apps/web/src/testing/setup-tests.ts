import 'fake-indexeddb/auto';
import '@testing-library/jest-dom';
import { cleanup, configure } from '@testing-library/react';
import { reloadSessionFromStorage } from '@/lib/session';

// Tests wait for what the user would see (findBy…, waitFor) rather than for a fixed time. On a loaded
// two-core CI machine a debounce, a fetch stub and a render can take longer than the library's 1 s default,
// so the wait is generous; a test that passes fast still finishes at once.
configure({ asyncUtilTimeout: 10_000 });

beforeEach(() => {
  // Every test stubs the network it needs (see fetch-stub.ts); anything else fails loudly.
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL) => {
    throw new Error(`Unexpected fetch in a test: ${String(input)}`);
  }) as unknown as typeof fetch;
});

afterEach(() => {
  jest.useRealTimers();
  // Specs in the node environment (`@jest-environment node`, e.g. lint-zones.spec.ts) have no DOM to clean.
  if (typeof window === 'undefined') return;
  cleanup();
  window.sessionStorage.clear();
  reloadSessionFromStorage();
});
