import { describe, expect, it } from 'vitest';
import { CAPTURE_FORMATS } from '../../core/importers/registry.ts';
import { DROPPABLE } from './formats.ts';

describe('the landing page list of droppable captures', () => {
  it('names exactly the formats the importer registry reads', () => {
    expect(DROPPABLE.map((d) => d.format).sort()).toEqual(CAPTURE_FORMATS.map((f) => f.format).sort());
  });
});
