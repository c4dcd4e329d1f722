import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BackendPanel } from './BackendPanel.tsx';
import { useComputeBackend } from './useComputeBackend.ts';
import '../styles.css';

/** Stand-alone page for the e2e test until the shell mounts the panel; the ping button shows the page reacts. */
function Harness() {
  const compute = useComputeBackend();
  const [pings, setPings] = useState(0);
  return (
    <main>
      <h1>Compute backend probe</h1>
      <p>
        <button type="button" data-testid="harness-ping" onClick={() => setPings((p) => p + 1)}>
          ping
        </button>{' '}
        <span data-testid="harness-pings">{pings}</span>
      </p>
      <BackendPanel compute={compute} defaultOpen />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
