/** `s` as HTML text, escaped as the policy renderer must escape it, written apart from the renderer. */
export const escapedHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
