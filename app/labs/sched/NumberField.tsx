import { labFields } from '../fields.tsx';

export const { NumberField } = labFields('sched-field');
