import { LAB_VIEWS, type LabView } from './lab-route.ts';

/** The views in the top bar; the URL's `lab` parameter follows, so a link opens the same view. */
export function LabTabs({ view, onChange }: { view: LabView; onChange: (v: LabView) => void }) {
  return (
    <nav className="tabs" role="tablist" aria-label="Views">
      {LAB_VIEWS.map((l) => (
        <button key={l.id} type="button" role="tab" aria-selected={view === l.id} onClick={() => onChange(l.id)} data-testid={`tab-${l.id}`}>
          {l.label}
        </button>
      ))}
    </nav>
  );
}
