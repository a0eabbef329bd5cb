/**
 * `mantis etl import-assets`: reads a CSV or JSON file of sites, lines, assets and sensors (with their machine
 * models and bearings) into asset documents, each checked as `PUT /v1/assets/{id}` checks its body (see
 * import-check.ts). Pure: the file's bytes in, assets and problems out; import-write.ts stores the assets.
 */
import type { Asset } from '../domain/types.ts';
import { checkAssetDocument } from './import-check.ts';
import { parseAssetCsv } from './import-csv.ts';

/** A refused row or field, in the file's own terms. */
export interface ImportProblem {
  /** CSV: the line in the file (the header is line 1); JSON: null. */
  line: number | null;
  /** JSON: the index of the asset in the array; CSV: null. */
  item: number | null;
  /** CSV: the column's name; JSON: the field's path in the item (`sensors.0.unit`). */
  column: string;
  reason: string;
  /** The asset the row or item is of, when it names one. */
  assetId: string | null;
}

export type ProblemPlace = Pick<ImportProblem, 'line' | 'item' | 'column'>;

/** An asset ready to store, and where its fields came from in the file. */
export interface ImportItem {
  asset: Asset;
  /** Names of its site and line when the file gives them (created with the id as name otherwise). */
  siteName?: string;
  lineName?: string;
  /** Where a field of the asset (`lineId`, `sensors.1.id`) is in the file: to report what the database refuses. */
  locate(field: string): ProblemPlace;
  /** Rows of the file it spans (CSV rows; 1 for a JSON item). */
  rows: number;
}

/** A file read: assets to store, the problems found, and the assets refused for them. */
export interface ParsedImport {
  format: 'csv' | 'json';
  /** Data rows (CSV records after the header, blank ones skipped) or JSON items. */
  rows: number;
  items: ImportItem[];
  problems: ImportProblem[];
  /** Assets not imported, each with the rows of the file it spans; null: rows that name no asset. */
  refused: { assetId: string | null; rows: number }[];
}

/** A file that cannot be imported at all: unknown format. The CLI exits 2. */
export class ImportFileError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a JSON array of asset documents (`PUT /v1/assets/{id}` bodies plus `id`, and optionally `siteName`
 * and `lineName`), UTF-8 with or without a byte-order mark. Each item is checked on its own; an asset id given
 * twice is refused the second time.
 */
export function parseAssetJson(text: string): ParsedImport {
  const result: ParsedImport = { format: 'json', rows: 0, items: [], problems: [], refused: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    result.problems.push({
      line: null,
      item: null,
      column: '',
      reason: `not JSON: ${(err as Error).message}`,
      assetId: null,
    });
    return result;
  }
  if (!Array.isArray(doc)) {
    const reason = 'must be a JSON array of assets';
    result.problems.push({ line: null, item: null, column: '', reason, assetId: null });
    return result;
  }
  result.rows = doc.length;
  const seen = new Map<string, number>();
  doc.forEach((raw, item) => {
    const assetId = isObject(raw) && typeof raw.id === 'string' ? raw.id : null;
    const checked = checkAssetDocument(raw);
    const problems =
      'problems' in checked ? checked.problems.map((p) => ({ column: p.field, reason: p.reason })) : [];
    const first = assetId === null ? undefined : seen.get(assetId);
    if (first !== undefined) problems.push({ column: 'id', reason: `repeats item ${first} (${assetId})` });
    else if (assetId !== null) seen.set(assetId, item);
    if (problems.length > 0 || 'problems' in checked) {
      result.problems.push(...problems.map((p) => ({ line: null, item, assetId, ...p })));
      result.refused.push({ assetId, rows: 1 });
      return;
    }
    result.items.push({ ...checked, locate: (column) => ({ line: null, item, column }), rows: 1 });
  });
  return result;
}

/**
 * Reads an asset import file by its extension: `.csv` (see import-csv.ts) or `.json` (see parseAssetJson).
 * @throws ImportFileError for another extension.
 */
export function parseAssetFile(fileName: string, content: Uint8Array): ParsedImport {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv') return parseAssetCsv(content);
  if (ext === 'json') return parseAssetJson(new TextDecoder('utf-8', { fatal: false }).decode(content));
  throw new ImportFileError(`${fileName}: expected a .csv or .json file`);
}

/** One line of text per problem: `line 7, column unit: …` (CSV) or `item 3, field sensors.0.unit: …` (JSON). */
export function describeProblem(p: ImportProblem): string {
  const asset = p.assetId ? ` (asset ${p.assetId})` : '';
  if (p.line !== null) return `line ${p.line}, column ${p.column || '-'}${asset}: ${p.reason}`;
  if (p.item !== null) return `item ${p.item}, field ${p.column || '-'}${asset}: ${p.reason}`;
  return `${p.column ? `${p.column}: ` : ''}${p.reason}`;
}
