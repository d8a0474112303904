// Merge-field scanning on hostile MJML: a marketer's (or a stolen token's) source must never freeze
// the process. Timed as a ratio against a plain source of the same size in the same run.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { compileCampaign, scanPlaceholders } from '../../src/mail/campaign-renderer';

const SPACES = 1500;

async function msToSettle(mjml: string): Promise<number> {
  const started = performance.now();
  await compileCampaign({ subject: 's', preheader: '', mjml }).catch(() => undefined);
  return performance.now() - started;
}

describe('campaign renderer on hostile merge fields', () => {
  it('refuses "{{" followed by a run of spaces about as fast as it compiles a plain source of that size', async () => {
    const hostile = `<mj-section><mj-column><mj-text>{{${' '.repeat(SPACES)}</mj-text></mj-column></mj-section>`;
    const plain = `<mj-section><mj-column><mj-text>ab${'x'.repeat(SPACES)}</mj-text></mj-column></mj-section>`;
    await msToSettle(plain); // MJML's first run loads its modules
    const plainMs = Math.min(await msToSettle(plain), await msToSettle(plain));
    const hostileMs = Math.min(await msToSettle(hostile), await msToSettle(hostile));
    expect(hostileMs, `hostile ${hostileMs.toFixed(1)} ms vs plain ${plainMs.toFixed(1)} ms`).to.be.below(plainMs * 2 + 5);

    const err = await compileCampaign({ subject: 's', preheader: '', mjml: hostile }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'invalid_mjml');
    expect((err as Error).message).to.contain('without a closing');
  });

  it('finds placeholders with spaces, raw ones and unclosed ones in one pass', () => {
    const found = [...scanPlaceholders('a {{ name }} b {{{x}}} c {{ y {{unsubscribeUrl}} d {{')].map((p) => [p.name, p.raw, p.closed]);
    expect(found).to.deep.equal([
      ['name', false, true],
      ['x', true, true],
      ['', false, false],
      ['unsubscribeUrl', false, true],
      ['', false, false],
    ]);
  });
});
