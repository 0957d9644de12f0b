import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../../src/report/html/escape.js';

describe('escapeHtml', () => {
  test('replaces the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
  });

  test.prop([fc.string()])('output has no raw < > " \' and unescapes back to the input', (s) => {
    const out = escapeHtml(s);
    expect(out).not.toMatch(/[<>"']/);
    const back = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(back).toBe(s);
  });
});

describe('jsonForScript', () => {
  test('cannot close the script element or open a comment', () => {
    const out = jsonForScript({ name: '</script><script>alert(1)</script><!--', sep: '\u2028' });
    expect(out).not.toContain('<');
    expect(out.toLowerCase()).not.toContain('</script');
    expect(out).not.toContain('\u2028');
  });

  test.prop([fc.jsonValue()])('JSON.parse gives the value back and the text has no < > &', (v) => {
    const out = jsonForScript(v);
    expect(out).not.toMatch(/[<>&]/);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
  });
});
