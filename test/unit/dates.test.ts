// Window bounds: a bare day as the upper bound covers the whole day, anything else is taken as given.
import assert from 'node:assert/strict';
import { parseBound } from '../../src/core/dates';

describe('window bounds', () => {
  it('reads a bare --until day as its last second and leaves times and lower bounds alone', () => {
    const midnight = Date.UTC(2023, 5, 30) / 1000;
    assert.equal(parseBound('2023-06-30', false), midnight);
    assert.equal(parseBound('2023-06-30', true), midnight + 86_399);
    assert.equal(parseBound('2023-06-30T12:00:00Z', true), midnight + 43_200, 'an explicit time is kept');
    assert.ok(Number.isNaN(parseBound('last tuesday', true)));
  });
});
