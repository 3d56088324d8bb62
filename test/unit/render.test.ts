import { describe, expect, it } from 'vitest';
import { loadCatalogue, profiles } from '../../policy/catalogue';
import { policyDocument, renderHtml, renderMarkdown } from '../../policy/render';

describe('published policy', () => {
  it.each(Object.keys(profiles))('L3: %s lists every item it collects with its purposes', (name) => {
    const c = loadCatalogue(name);
    const md = renderMarkdown(policyDocument(c));
    for (const item of Object.values(c.items)) expect(md).toContain(item.label.replace(/\|/g, '\\|'));
    for (const purpose of Object.values(c.purposes)) expect(md).toContain(purpose.label);
  });

  it('L17: publishes the officer contacts and the complaint channels of littleone', () => {
    const md = renderMarkdown(policyDocument(loadCatalogue('littleone')));
    expect(md).toContain('Byunghee Yoon');
    expect(md).toContain('1661-2503');
    expect(md).toContain('Personal Information Infringement Report Center — 118');
  });

  it('G18: publishes the privacy manager and person in charge of lgcns', () => {
    const md = renderMarkdown(policyDocument(loadCatalogue('lgcns')));
    expect(md).toContain('syoonlee@lgcns.com');
    expect(md).toContain('hyungjlee@lgcns.com');
  });

  it('L10: renders the retention table with the laws behind each period', () => {
    const md = renderMarkdown(policyDocument(loadCatalogue('littleone')));
    expect(md).toContain(
      '| Records of payment of goods | 5 years from creation | Act on Consumer Protection in Electronic Commerce, etc. |',
    );
    expect(md).toContain('| Email of a withdrawn member | 1 year after withdrawal |');
  });

  it('G3: tells lgcns members access logs are kept 6 months', () => {
    expect(renderMarkdown(policyDocument(loadCatalogue('lgcns')))).toContain(
      '| Service access logs | 6 months from creation |',
    );
  });

  it('L12, L14: says what a suspension stops, from the catalogue, and that the rights stay open', () => {
    const md = renderMarkdown(policyDocument(loadCatalogue('littleone')));
    expect(md).toContain(
      'can get a membership suspended: it stops adding babies, recording purchases, consenting to further purposes, lifting a restriction of processing, never your rights: you can still view, export and correct your data',
    );
  });

  it('G14: states that no cookies are set', () => {
    expect(renderMarkdown(policyDocument(loadCatalogue('lgcns')))).toContain('The service sets no cookies');
  });

  it('renders the same sections in HTML, escaping text', () => {
    const doc = policyDocument(loadCatalogue('littleone'));
    const page = renderHtml(doc);
    expect(page).toMatch(/^<!doctype html>/);
    for (const s of doc.sections) expect(page).toContain(`<section id="${s.id}">`);
    expect(page).toContain('Cyber Investigation Department, Supreme Prosecutors&#39; Office');
    expect(page).not.toContain("Prosecutors' Office");
  });

  it('escapes table separators in Markdown cells', () => {
    const doc = {
      title: 't',
      version: '1',
      effectiveDate: '2027-01-01',
      sections: [
        { id: 's', title: 'S', blocks: [{ kind: 'table' as const, head: ['a|b'], rows: [['c|d']] }] },
      ],
    };
    expect(renderMarkdown(doc)).toContain('| a\\|b |');
    expect(renderMarkdown(doc)).toContain('| c\\|d |');
  });
});
