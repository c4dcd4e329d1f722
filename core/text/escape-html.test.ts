import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './escape-html.ts';

describe('escapeHtml', () => {
  it('turns the five markup characters into entities and leaves everything else', () => {
    expect(escapeHtml('<idle>')).toBe('&lt;idle&gt;');
    expect(escapeHtml('<img src=x onerror="window.__pwned=1">')).toBe('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(escapeHtml(`a & b 'c'`)).toBe('a &amp; b &#39;c&#39;');
    expect(escapeHtml('kworker/1:2H-events_highpri')).toBe('kworker/1:2H-events_highpri');
    expect(escapeHtml('')).toBe('');
  });

  it('does not decode what is already an entity (it is data, shown as typed)', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('writes numbers, null and undefined as String() does', () => {
    expect(escapeHtml(-1.5)).toBe('-1.5');
    expect(escapeHtml(null)).toBe('null');
    expect(escapeHtml(undefined)).toBe('undefined');
  });
});

describe('html tag', () => {
  it('escapes each interpolated value and keeps the template markup', () => {
    const name = '<svg/onload=alert(1)>';
    expect(html`<b>${name}</b><br/>${3} calls`).toBe('<b>&lt;svg/onload=alert(1)&gt;</b><br/>3 calls');
    expect(html`true ${'<idle>'} → predicted ${'a"b'}`).toBe('true &lt;idle&gt; → predicted a&quot;b');
  });

  it('is the plain template when nothing is interpolated', () => {
    expect(html`<br/>`).toBe('<br/>');
  });
});
