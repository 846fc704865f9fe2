import { Logger } from '../../src/reconciler/logger';

describe('Logger', () => {
  test('GIVEN --log-level=warn WHEN every level logs THEN only warn and error are written, one JSON object per line with ts, level, msg and fields', () => {
    const lines: string[] = [];
    const log = new Logger('warn', (line) => lines.push(line));
    log.debug('d');
    log.info('i');
    log.warn('w', { key: 'abi/ns/a' });
    log.error('e', { error: new Error('boom') });
    expect(lines.every((l) => l.endsWith('\n') && l.indexOf('\n') === l.length - 1)).toBe(true);
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => e.level)).toEqual(['warn', 'error']);
    expect(entries[0]).toMatchObject({ msg: 'w', key: 'abi/ns/a' });
    expect(entries[1]).toMatchObject({ msg: 'e', error: 'boom' });
    expect(Number.isNaN(Date.parse(entries[0].ts))).toBe(false);
  });

  test('GIVEN --log-level=debug WHEN asked THEN every level is enabled', () => {
    const log = new Logger('debug', () => undefined);
    expect(['debug', 'info', 'warn', 'error'].every((l) => log.enabled(l as any))).toBe(true);
  });
});
