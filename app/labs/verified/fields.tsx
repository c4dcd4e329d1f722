import { labFields } from '../fields.tsx';

export const { NumberField, TextField } = labFields('vl-field');
