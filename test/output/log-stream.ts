// The --log-format json stream as tests read it: every stderr line parsed and checked against
// docs/schemas/log-event.schema.json with ajv.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export interface Event {
  readonly time: string;
  readonly level: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

const schema = JSON.parse(readFileSync(new URL('../../docs/schemas/log-event.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

/** The schema's verdict on one object: undefined when valid, else ajv's errors as text. */
export function schemaErrors(value: unknown): string | undefined {
  return validate(value) ? undefined : JSON.stringify(validate.errors);
}

/** Every line of `text` is one JSON object valid against the schema; returns them in order. */
export function parseEvents(text: string): Event[] {
  assert.ok(text === '' || text.endsWith('\n'), `the stream ends with a newline: ${JSON.stringify(text.slice(-80))}`);
  return text.split('\n').slice(0, -1).map((line, i) => {
    let value: unknown;
    assert.doesNotThrow(() => (value = JSON.parse(line)), `line ${i + 1} is JSON: ${line}`);
    assert.equal(schemaErrors(value), undefined, `line ${i + 1} matches the schema: ${line}`);
    return value as Event;
  });
}
