/** Which view the app shows. The `lab` URL parameter is user input: anything but a known lab means the overview. */
export type LabView = 'overview' | 'sched' | 'forecast' | 'verified' | 'fingerprint';

export const LAB_VIEWS: readonly { id: LabView; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'sched', label: 'Scheduling lab' },
  { id: 'forecast', label: 'Forecast lab' },
  { id: 'verified', label: 'Verified lab' },
  { id: 'fingerprint', label: 'Fingerprint lab' },
];

export function labFromUrl(search: string): { view: LabView; unknown: string | null } {
  const want = new URLSearchParams(search).get('lab');
  if (want === null || want === '' || want === 'overview') return { view: 'overview', unknown: null };
  const known = LAB_VIEWS.find((l) => l.id === want);
  return known ? { view: known.id, unknown: null } : { view: 'overview', unknown: want };
}

/** The URL for a view, keeping every other parameter (a `demo` stays, so switching back reopens nothing new). */
export function urlForLab(href: string, view: LabView): URL {
  const url = new URL(href);
  if (view === 'overview') url.searchParams.delete('lab');
  else url.searchParams.set('lab', view);
  return url;
}
