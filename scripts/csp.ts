import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/**
 * The Content Security Policy of the built site, shipped as a <meta> in index.html (static hosting sends no
 * headers we control). Scripts only from the site itself and the inline theme script by its hash, never
 * 'unsafe-inline' or 'unsafe-eval' for scripts; 'wasm-unsafe-eval' because TensorFlow.js's wasm backend and the
 * training engine compile WebAssembly. Style attributes may be inline (ECharts' tooltips are HTML with style
 * attributes); <style> elements may not.
 * A <meta> policy cannot set frame-ancestors or report-uri (browsers ignore them there).
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...scriptHashes.map((h) => `'${h}'`)],
    // Stylesheets only from the site; inline style attributes (ECharts' tooltip markup) allowed. style-src is the
    // fallback for browsers without the -elem/-attr directives (CSP level 2).
    ['style-src', "'self'", "'unsafe-inline'"],
    ['style-src-elem', "'self'"],
    ['style-src-attr', "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'"],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

const INLINE_SCRIPT = /<script(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/** sha256-… of each inline script's text exactly as the browser hashes it (the characters between the tags). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map((m) => `sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}`);
}

/** index.html with the policy as the first thing after <meta charset> (a policy covers only what comes after it). */
export function withCspMeta(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(inlineScriptHashes(html))}" />`;
  const charset = /<meta\s+charset=[^>]*>/i.exec(html);
  if (!charset) throw new Error('index.html has no <meta charset>: nowhere to put the Content-Security-Policy');
  const at = charset.index + charset[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

/**
 * Build only: the dev server injects inline scripts of its own (React refresh), which a strict policy would
 * block; `vite preview` and any static host serve the built index.html with the policy.
 */
export function cspPlugin(): Plugin {
  return {
    name: 'tlab-csp',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => withCspMeta(html) },
  };
}
