/** Format detection by content lives in the registry, beside the importers it chooses between. */
export { detectTextFormat, TEXT_FORMATS, type Detection, type TextFormat } from './registry.ts';
