import { z } from 'zod';

// The site's Content-Security-Policy has no 'unsafe-eval'. Zod would otherwise probe `new Function` on its first
// object parse (its JIT) and, though it catches the refusal, the browser still reports a CSP violation. Imported
// first in main.tsx so it runs before any schema parses.
z.config({ jitless: true });
