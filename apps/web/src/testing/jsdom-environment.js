// jsdom, plus the WHATWG Fetch and encoding globals that Node provides and jsdom does not
// (Response, Request, Headers, TextEncoder...). Tests build real `Response` objects at the
// network boundary, and react-router needs TextEncoder. `fetch` itself is left out on purpose:
// a test that forgets to stub it fails instead of reaching the network.
const { TestEnvironment } = require('jest-environment-jsdom');

const PASSTHROUGH = [
  'Response',
  'Request',
  'Headers',
  'FormData',
  'Blob',
  'TextEncoder',
  'TextDecoder',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'structuredClone',
];

class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of PASSTHROUGH) {
      if (typeof globalThis[name] !== 'undefined') this.global[name] = globalThis[name];
    }
  }
}

module.exports = JsdomWithFetchEnvironment;
