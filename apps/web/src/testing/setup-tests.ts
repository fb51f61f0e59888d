import '@testing-library/jest-dom';
import { cleanup } from '@testing-library/react';
import { reloadSessionFromStorage } from '@/lib/session';

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
