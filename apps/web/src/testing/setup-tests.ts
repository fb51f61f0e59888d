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
  cleanup();
  window.sessionStorage.clear();
  reloadSessionFromStorage();
  jest.useRealTimers();
});
