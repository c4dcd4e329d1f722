import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes, withCspMeta } from './csp.ts';

const indexHtml = readFileSync(new URL('../index.html', import.meta.url), 'utf8');

describe('content security policy', () => {
  it('allows scripts only from the site, by hash and wasm compilation, never inline or eval', () => {
    const csp = contentSecurityPolicy(['sha256-abc=']);
    const script = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='");
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    // Inline style attributes (ECharts' tooltip markup), but stylesheets only from the site.
    expect(csp).toContain("style-src-attr 'unsafe-inline'");
    expect(csp).toContain("style-src-elem 'self'");
  });

  it('hashes the inline script text exactly as written (sha256 of the characters between the tags)', () => {
    const body = "\n  document.title = 'x';\n";
    const want = `sha256-${createHash('sha256').update(body).digest('base64')}`;
    expect(inlineScriptHashes(`<head><script>${body}</script><script type="module" src="/a.js"></script></head>`)).toEqual([want]);
    // A known answer: sha256 of the empty string (openssl dgst -sha256 -binary </dev/null | base64).
    expect(inlineScriptHashes('<script></script>')).toEqual(['sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=']);
  });

  it("puts the policy right after <meta charset> of the real index.html, with its theme script's hash", () => {
    const out = withCspMeta(indexHtml);
    const hashes = inlineScriptHashes(indexHtml);
    expect(hashes).toHaveLength(1);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/.exec(out)!;
    expect(meta[1]).toContain(`'${hashes[0]}'`);
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<script'));
    expect(out.indexOf('<meta charset')).toBeLessThan(out.indexOf('Content-Security-Policy'));
  });
});
