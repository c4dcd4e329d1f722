import { serveInflateTasks } from './inflate/serve.ts';

// One of the loader's inflate workers (workers/inflate/pool.ts): zip entries in, their inflated bytes out.
serveInflateTasks(self as unknown as Parameters<typeof serveInflateTasks>[0]);
