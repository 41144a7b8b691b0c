import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatWireDate, isValidTimeZone, parseWireDate } from '../../src/wire/dates.js';

describe('wire dates: YYYY-MM-DD HH:mm:ss in the tenant time zone', () => {
  it('renders an instant in the tenant zone', () => {
    const instant = Date.UTC(2023, 6, 7, 6, 51, 35);
    assert.equal(formatWireDate(instant, 'Asia/Shanghai'), '2023-07-07 14:51:35');
    assert.equal(formatWireDate(instant, 'UTC'), '2023-07-07 06:51:35');
    assert.equal(formatWireDate(instant, 'America/New_York'), '2023-07-07 02:51:35');
    assert.equal(formatWireDate(Date.UTC(2023, 0, 1, 0, 0, 0), 'UTC'), '2023-01-01 00:00:00');
    assert.equal(formatWireDate(null, 'UTC'), null);
  });

  it('parses wall-clock text back to the same instant', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Paris', 'America/Los_Angeles', 'UTC', 'Asia/Kolkata']) {
      for (const text of ['2023-07-07 14:51:35', '2024-02-29 23:59:59', '2023-12-31 00:00:00']) {
        const instant = parseWireDate(text, zone);
        assert.notEqual(instant, null);
        assert.equal(formatWireDate(instant, zone), text, `${zone} ${text}`);
      }
    }
    assert.equal(parseWireDate('2023-07-07 14:51:35', 'Asia/Shanghai'), Date.UTC(2023, 6, 7, 6, 51, 35));
  });

  it('handles daylight-saving changes', () => {
    // Paris: clocks go 02:00 -> 03:00 on 2024-03-31; 02:30 does not exist and resolves after the jump.
    assert.equal(parseWireDate('2024-03-31 01:30:00', 'Europe/Paris'), Date.UTC(2024, 2, 31, 0, 30));
    assert.equal(parseWireDate('2024-03-31 03:30:00', 'Europe/Paris'), Date.UTC(2024, 2, 31, 1, 30));
    assert.equal(formatWireDate(parseWireDate('2024-03-31 02:30:00', 'Europe/Paris'), 'Europe/Paris'), '2024-03-31 03:30:00');
    assert.equal(parseWireDate('2024-10-27 12:00:00', 'Europe/Paris'), Date.UTC(2024, 9, 27, 11, 0));
  });

  it('agrees with Intl at every minute around daylight-saving changes, in zones with odd offsets too', () => {
    const reference = (instant: number, timeZone: string) => {
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      }).formatToParts(instant).map((p) => [p.type, p.value]));
      return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
    };
    const transitions: Array<[string, number]> = [
      ['Europe/Paris', Date.UTC(2024, 2, 31, 1)], ['Europe/Paris', Date.UTC(2024, 9, 27, 1)],
      ['America/New_York', Date.UTC(2024, 2, 10, 7)], ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 14, 30)],
      ['Australia/Lord_Howe', Date.UTC(2024, 9, 5, 15, 30)], ['Asia/Kathmandu', Date.UTC(2024, 0, 1)], ['Asia/Shanghai', Date.UTC(2023, 6, 7)],
    ];
    for (const [zone, around] of transitions) {
      for (let minute = -120; minute <= 120; minute++) {
        const instant = around + minute * 60_000 + 17_123;
        assert.equal(formatWireDate(instant, zone), reference(instant, zone), `${zone} ${new Date(instant).toISOString()}`);
      }
    }
  });

  it('a wall clock shown twice (autumn) is the first of the two instants; one skipped (spring) moves forward by the jump', () => {
    const cases: Array<[zone: string, text: string, utc: number]> = [
      // Paris, 2024-10-27: 03:00 CEST -> 02:00 CET; 02:30 is 00:30Z (CEST) and 01:30Z (CET): the first.
      ['Europe/Paris', '2024-10-27 02:30:00', Date.UTC(2024, 9, 27, 0, 30)],
      ['Europe/Paris', '2024-10-27 02:00:00', Date.UTC(2024, 9, 27, 0, 0)],
      ['Europe/Paris', '2024-10-27 02:59:59', Date.UTC(2024, 9, 27, 0, 59, 59)],
      ['Europe/Paris', '2024-10-27 03:00:00', Date.UTC(2024, 9, 27, 2, 0)],
      ['America/New_York', '2024-11-03 01:30:00', Date.UTC(2024, 10, 3, 5, 30)],
      // Lord Howe moves by half an hour.
      ['Australia/Lord_Howe', '2024-04-07 01:45:00', Date.UTC(2024, 3, 6, 14, 45)],
      // Skipped: Paris 02:30 on 2024-03-31 is 03:30 CEST; New York 02:30 on 2024-03-10 is 03:30 EDT; Lord Howe +30 min.
      ['Europe/Paris', '2024-03-31 02:30:00', Date.UTC(2024, 2, 31, 1, 30)],
      ['America/New_York', '2024-03-10 02:30:00', Date.UTC(2024, 2, 10, 7, 30)],
      ['Australia/Lord_Howe', '2024-10-06 02:15:00', Date.UTC(2024, 9, 5, 15, 45)],
      // Asuncion skipped midnight (2023-10-01 00:00 -> 01:00): the day starts at 01:00.
      ['America/Asuncion', '2023-10-01 00:00:00', Date.UTC(2023, 9, 1, 4, 0)],
    ];
    for (const [zone, text, utc] of cases) {
      assert.equal(new Date(parseWireDate(text, zone) ?? 0).toISOString(), new Date(utc).toISOString(), `${zone} ${text}`);
    }
  });

  it('parses every formatted instant back to itself, except the second of a repeated wall clock, which gives the first', () => {
    const transitions: Array<[string, number]> = [
      ['Europe/Paris', Date.UTC(2024, 2, 31, 1)], ['Europe/Paris', Date.UTC(2024, 9, 27, 1)],
      ['America/New_York', Date.UTC(2024, 10, 3, 6)], ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15)],
      ['Australia/Lord_Howe', Date.UTC(2024, 9, 5, 15, 30)], ['America/Asuncion', Date.UTC(2023, 9, 1, 4)],
    ];
    for (const [zone, around] of transitions) {
      const firstInstantOf = new Map<string, number>();
      for (let minute = -150; minute <= 150; minute++) {
        const instant = around + minute * 60_000;
        const text = formatWireDate(instant, zone);
        if (!firstInstantOf.has(text)) firstInstantOf.set(text, instant);
        assert.equal(parseWireDate(text, zone), firstInstantOf.get(text), `${zone} ${text} (${new Date(instant).toISOString()})`);
      }
    }
  });

  it('rejects text that is not a real date', () => {
    for (const text of ['2023-02-30 00:00:00', '2023-13-01 00:00:00', '2023-01-01 24:00:00', '2023-01-01 00:60:00',
      '2023-01-01T00:00:00', '2023-1-1 00:00:00', '', 'yesterday', '2023-01-01 00:00:00 ']) {
      assert.equal(parseWireDate(text, 'UTC'), null, text);
    }
  });

  it('knows IANA zones from garbage', () => {
    assert.ok(isValidTimeZone('Asia/Shanghai'));
    assert.ok(!isValidTimeZone('Mars/Olympus'));
    assert.ok(!isValidTimeZone(''));
  });
});
