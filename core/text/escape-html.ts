/**
 * Text that goes into HTML built as a string (ECharts' custom tooltip formatters return HTML that it assigns to
 * innerHTML). Everything a bundle holds — task names, syscall names, units, file names — is untrusted: a task
 * named `<img src=x onerror=…>` must show as those characters, and so must the legitimate class `<idle>`.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The five characters that can end text or an attribute value, as entities (safe in text and quoted attributes). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A template tag that escapes every interpolated value and keeps the literal parts as written:
 * html`<b>${name}</b><br/>${n} calls`. The markup is the template's own; nothing from the data can add any.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += escapeHtml(v) + strings[i + 1]!;
  });
  return out;
}
