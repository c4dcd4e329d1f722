// `npm start`: serve the app and open the first demo (/?demo). Vite's own --open prints a stack trace
// (spawn xdg-open ENOENT) on a machine without a desktop; here the URL is always printed, and a browser is
// started only where there is a display to show it, quietly skipped where there is none.
import { spawn } from 'node:child_process';
import { createServer } from 'vite';

const server = await createServer({ server: { open: false, ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}) } });
await server.listen();
const base = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port ?? 5173}/`;
const url = new URL('?demo', base).href;
server.printUrls();
console.log(`\n  Demo: ${url}\n`);

/** The command that opens a URL here, or null where nothing could show it (a server, a container, SSH). */
function opener() {
  if (process.env.CI || process.env.TLAB_NO_OPEN) return null;
  if (process.platform === 'darwin') return ['open', []];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""']];
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  return ['xdg-open', []];
}

const how = opener();
if (!how) console.log('  No desktop here: open the demo URL above in a browser.\n');
else {
  const [cmd, args] = how;
  const child = spawn(cmd, [...args, url], { stdio: 'ignore', detached: true });
  // A missing opener (xdg-open not installed) is a line of advice, not a stack trace.
  child.on('error', (e) => console.log(`  Could not start a browser (${cmd}: ${e.code ?? e.message}); open the demo URL above.\n`));
  child.unref();
}
