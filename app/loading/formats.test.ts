import { describe, expect, it } from 'vitest';
import { TEXT_FORMATS } from '../../core/importers/registry.ts';
import { DROPPABLE } from './formats.ts';

describe('the landing page list of droppable captures', () => {
  it('names exactly the formats the importer registry reads', () => {
    expect(DROPPABLE.map((d) => d.format).sort()).toEqual(TEXT_FORMATS.map((f) => f.format).sort());
  });
});
