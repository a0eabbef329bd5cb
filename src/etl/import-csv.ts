/**
 * Reads an asset import CSV (columns in import-csv-columns.ts) with csv-parse: RFC 4180 quoting, CRLF or LF,
 * a byte-order mark, blank lines skipped. Rows are grouped by asset id wherever they are in the file; each
 * group becomes one asset document, checked as the API checks it. Every bad cell is reported with its line
 * (the header is line 1), column and reason, and an asset with any bad row is refused whole.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { ImportProblem, ParsedImport, ProblemPlace } from './import-assets.ts';
import { checkAssetDocument } from './import-check.ts';
import { COLUMNS, columnOf, readCell, setPath } from './import-csv-columns.ts';

interface Row {
  line: number;
  cells: Map<string, string>;
}

/** Rows of one asset, the document built from them, and the fields whose cells were already refused. */
interface Group {
  rows: Row[];
  doc: Record<string, unknown>;
  bad: Set<string>;
  problems: ImportProblem[];
}

/** Byte offsets where each line starts: CRLF, LF or a lone CR ends a line. */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) continue;
    if (bytes[i] === 0x0a || bytes[i] === 0x0d) starts.push(i + 1);
  }
  return starts;
}

/** The 1-based line holding byte `offset`. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Records with the line each starts on. csv-parse's own line count counts a CRLF inside a quoted field twice,
 * so lines are found from the byte offset where each record ends (`info.bytes`) instead.
 */
function readRecords(bytes: Uint8Array): { fields: string[]; line: number }[] {
  const records = parse(Buffer.from(bytes), {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { bytes: number } }[];
  const starts = lineStarts(bytes);
  let end = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return records.map(({ record, info }) => {
    let start = end;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++; // blank lines csv-parse skipped
    end = info.bytes;
    return { fields: record, line: lineAt(starts, start) };
  });
}

const problem = (line: number, column: string, reason: string, assetId: string | null): ImportProblem => ({
  line,
  item: null,
  column,
  reason,
  assetId,
});

/** Checks the header: known columns, each once, the required ones present. */
function headerProblems(header: string[]): ImportProblem[] {
  const out: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!Object.hasOwn(COLUMNS, name)) out.push(problem(1, name, 'is not a column of an asset import', null));
    else if (seen.has(name)) out.push(problem(1, name, 'is given twice', null));
    seen.add(name);
  }
  for (const [name, c] of Object.entries(COLUMNS)) {
    if (c.required && !seen.has(name)) out.push(problem(1, name, 'is a required column', null));
  }
  return out;
}

/** Adds a row's cells to its asset's document; asset-level cells must repeat the asset's first row. */
function addRow(group: Group, row: Row, assetId: string, sensorIndex: number): void {
  const first = group.rows[0];
  for (const [name, raw] of row.cells) {
    const column = COLUMNS[name];
    if (column.level === 'asset' && first !== row) {
      const before = first.cells.get(name) ?? '';
      if (raw !== before) {
        const reason = `${JSON.stringify(raw)} differs from line ${first.line} (${JSON.stringify(before)}): every row of an asset repeats its asset's columns`;
        group.problems.push(problem(row.line, name, reason, assetId));
      }
      continue;
    }
    const path = column.level === 'asset' ? column.path : `sensors.${sensorIndex}.${column.path}`;
    const cell = readCell(column.type, raw);
    if ('reason' in cell) {
      group.problems.push(problem(row.line, name, cell.reason, assetId));
      group.bad.add(path);
    } else if (cell.value !== undefined) setPath(group.doc, path, cell.value);
  }
  if (!Array.isArray(group.doc.sensors)) group.doc.sensors = [];
  const sensors = group.doc.sensors as Record<string, unknown>[];
  sensors[sensorIndex] ??= {};
}

/** Where each document field of a group is in the file. */
function locator(group: Group): (field: string) => ProblemPlace {
  return (field) => {
    const { sensor, column } = columnOf(field);
    const row = sensor === null ? group.rows[0] : (group.rows[sensor] ?? group.rows[0]);
    return { line: row.line, item: null, column };
  };
}

/** The speed setting's source follows from the column given: rpm (fixed) or speedSensor (a speed sensor). */
function completeMachine(group: Group, assetId: string): void {
  const speed = (group.doc.machine as { speed?: Record<string, unknown> } | undefined)?.speed;
  if (!speed) return;
  if (speed.rpm !== undefined && speed.sensorId !== undefined) {
    const reason = 'give rpm or speedSensor, not both';
    group.problems.push(problem(group.rows[0].line, 'speedSensor', reason, assetId));
    group.bad.add('machine.speed.sensorId');
  }
  speed.source = speed.sensorId !== undefined ? 'sensor' : 'fixed';
}

/**
 * Reads an asset import CSV (see the module comment and docs/operations.md). A file csv-parse cannot read
 * (an unclosed quote) or a bad header imports nothing and is reported at its line. Never throws on bad input.
 */
export function parseAssetCsv(bytes: Uint8Array): ParsedImport {
  const result: ParsedImport = { format: 'csv', rows: 0, items: [], problems: [], refused: [] };
  let records: { fields: string[]; line: number }[];
  try {
    records = readRecords(bytes);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? null;
    result.problems.push({ line, item: null, column: '', reason: err.message, assetId: null });
    return result;
  }
  if (records.length === 0) {
    result.problems.push(problem(1, '', 'the file is empty: expected a header line', null));
    return result;
  }
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1).filter((r) => r.fields.some((f) => f.trim() !== ''));
  result.rows = rows.length;
  result.problems.push(...headerProblems(header));
  if (result.problems.length > 0) {
    if (rows.length > 0) result.refused.push({ assetId: null, rows: rows.length });
    return result;
  }

  const groups = new Map<string, Group>();
  const sensorLines = new Map<string, number>();
  const places = new Map<string, { value: string; line: number }>();
  let unattributed = 0;
  for (const { fields, line } of rows) {
    const assetId = fields[header.indexOf('asset')]?.trim() ?? '';
    if (fields.length !== header.length) {
      const column = header[fields.length] ?? `field ${header.length + 1}`;
      const reason = `the row has ${fields.length} fields, the header ${header.length}`;
      result.problems.push(problem(line, column, reason, assetId || null));
    }
    if (assetId === '') {
      if (fields.length === header.length) result.problems.push(problem(line, 'asset', 'is required', null));
      unattributed++;
      continue;
    }
    let group = groups.get(assetId);
    if (!group) {
      group = { rows: [], doc: {}, bad: new Set(), problems: [] };
      groups.set(assetId, group);
    }
    const cells = new Map(header.map((name, i) => [name, (fields[i] ?? '').trim()]));
    const row = { line, cells };
    group.rows.push(row);
    const index = group.rows.length - 1;
    if (fields.length === header.length) addRow(group, row, assetId, index);
    else {
      // Reported once above: its cells cannot be trusted to be in their columns.
      group.bad.add(index === 0 ? '*' : `sensors.${index}`);
      if (!Array.isArray(group.doc.sensors)) group.doc.sensors = [];
      (group.doc.sensors as unknown[])[index] = {};
      continue;
    }

    // A sensor id names one sensor of one asset; a site's name and a line's site and name are one each.
    const sensorId = cells.get('sensor') ?? '';
    const seenAt = sensorLines.get(sensorId);
    if (sensorId && seenAt !== undefined) {
      group.problems.push(
        problem(line, 'sensor', `sensor ${sensorId} is already on line ${seenAt}`, assetId),
      );
      group.bad.add(`sensors.${index}.id`);
    } else if (sensorId) sensorLines.set(sensorId, line);
    const site = cells.get('site') ?? '';
    const lineId = cells.get('line') ?? '';
    for (const [key, column, value, what] of [
      [`site-name:${site}`, 'siteName', cells.get('siteName') ?? '', `site ${site} is named`],
      [`line-site:${lineId}`, 'site', site, `line ${lineId} is on site`],
      [`line-name:${lineId}`, 'lineName', cells.get('lineName') ?? '', `line ${lineId} is named`],
    ]) {
      if (index > 0 || value === '' || !(site && lineId)) continue;
      const before = places.get(key);
      if (!before) places.set(key, { value, line });
      else if (before.value !== value) {
        const reason = `${what} ${JSON.stringify(before.value)} on line ${before.line}`;
        group.problems.push(problem(line, column, reason, assetId));
      }
    }
  }
  if (unattributed > 0) result.refused.push({ assetId: null, rows: unattributed });

  for (const [assetId, group] of groups) {
    completeMachine(group, assetId);
    const locate = locator(group);
    const checked = checkAssetDocument(group.doc, group.bad);
    const problems = [...group.problems];
    if ('problems' in checked) {
      for (const p of checked.problems) problems.push({ ...locate(p.field), reason: p.reason, assetId });
    }
    if (problems.length > 0 || 'problems' in checked) {
      result.problems.push(...problems);
      result.refused.push({ assetId, rows: group.rows.length });
    } else if ('asset' in checked) {
      result.items.push({ ...checked, locate, rows: group.rows.length });
    }
  }
  result.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return result;
}
