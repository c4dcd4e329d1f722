import { useRef, type KeyboardEvent } from 'react';
import { LAB_VIEWS, type LabView } from './lab-route.ts';

/**
 * The views in the top bar; the URL's `lab` parameter follows, so a link opens the same view. The WAI-ARIA tabs
 * keyboard pattern: arrows move to the next or previous view (wrapping), Home and End to the first and last, and
 * only the chosen tab is in the Tab order.
 */
export function LabTabs({ view, onChange }: { view: LabView; onChange: (v: LabView) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const n = LAB_VIEWS.length;
    const next = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    onChange(LAB_VIEWS[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Views">
      {LAB_VIEWS.map((l, i) => (
        <button
          key={l.id}
          ref={(el) => void (refs.current[i] = el)}
          type="button"
          role="tab"
          aria-selected={view === l.id}
          aria-label={l.label}
          tabIndex={view === l.id ? 0 : -1}
          onClick={() => onChange(l.id)}
          onKeyDown={(e) => onKey(e, i)}
          data-testid={`tab-${l.id}`}
        >
          {/* " lab" goes on narrow screens (tab-suffix), so five views fit one header row at 1024 px. */}
          {l.label.replace(/ lab$/, '')}
          {l.label.endsWith(' lab') ? <span className="tab-suffix"> lab</span> : null}
        </button>
      ))}
    </nav>
  );
}
