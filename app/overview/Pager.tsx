import { useState } from 'react';

interface Props {
  /** Test id prefix: `${id}-prev`, `-next`, `-last`, `-goto`. */
  id: string;
  /** The first row shown (0-based), how many are shown, and how many there are in all; null while none is shown. */
  offset: number | null;
  shownRows: number;
  total: number;
  pageRows: number;
  onOffset: (offset: number) => void;
}

/**
 * First, previous, next and last page, and "go to row" (1-based; "333,334" accepted): the pager of the overview's
 * table view and of the verified lab's counterexample list.
 */
export function Pager({ id, offset, shownRows, total, pageRows, onOffset }: Props) {
  const [goTo, setGoTo] = useState('');
  const none = offset === null;
  const end = (offset ?? 0) + shownRows;
  const lastOffset = Math.max(0, Math.floor((total - 1) / pageRows) * pageRows);
  return (
    <>
      <span className="table-view-nav">
        <button type="button" className="ghost small" data-testid={`${id}-first`} disabled={none || offset === 0} onClick={() => onOffset(0)} aria-label="First page">
          «
        </button>
        <button type="button" className="ghost small" data-testid={`${id}-prev`} disabled={none || offset === 0} onClick={() => onOffset(Math.max(0, (offset ?? 0) - pageRows))}>
          ‹ prev
        </button>
        <button type="button" className="ghost small" data-testid={`${id}-next`} disabled={none || end >= total} onClick={() => onOffset(end)}>
          next ›
        </button>
        <button type="button" className="ghost small" data-testid={`${id}-last`} disabled={none || end >= total} onClick={() => onOffset(lastOffset)} aria-label="Last page">
          »
        </button>
      </span>
      <form
        className="table-view-form"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(goTo.replace(/[,\s_]/g, ''));
          if (Number.isFinite(n) && n >= 1) onOffset(Math.floor(n) - 1);
        }}
      >
        <label className="small">
          row <input data-testid={`${id}-goto`} inputMode="numeric" size={8} value={goTo} onChange={(e) => setGoTo(e.target.value)} />
        </label>
        <button type="submit" className="ghost small">
          go
        </button>
      </form>
    </>
  );
}
