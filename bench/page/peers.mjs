// The peers, each computing what the ducks costs page computes: the sum of
// line_item_unblended_cost per product_servicecode over rows whose
// line_item_line_item_type is 'Usage'. Each run is timed from the file input's
// change event to the sums in hand, as ducks times itself (engine start-up,
// like ducks' worker start-up, happens before).
import * as duckdb from '/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const SERVICE = 'product_servicecode';
const TYPE = 'line_item_line_item_type';
const COST = 'line_item_unblended_cost';
const status = document.getElementById('status');

const dist = '/node_modules/@duckdb/duckdb-wasm/dist/';
const worker = new Worker(`${dist}duckdb-browser-eh.worker.js`);
const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
await db.instantiate(`${dist}duckdb-eh.wasm`);
const connection = await db.connect();
let runs = 0;

async function withDuckdb(file, registerHandle) {
  const name = `run${++runs}.parquet`;
  if (registerHandle) {
    await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  } else {
    await db.registerFileBuffer(name, new Uint8Array(await file.arrayBuffer()));
  }
  try {
    const table = await connection.query(
      `SELECT ${SERVICE} AS service, sum(${COST}) AS cost FROM parquet_scan('${name}') WHERE ${TYPE} = 'Usage' GROUP BY 1`);
    const sums = {};
    for (const row of table.toArray()) sums[row.service ?? ''] = Number(row.cost);
    return sums;
  } finally {
    await db.dropFile(name);
  }
}

/** hyparquet reads one row group at a time, so only that group's three columns are held at once. */
async function withHyparquet(file) {
  const buffer = { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
  const metadata = await parquetMetadataAsync(buffer);
  const sums = {};
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const columns = { [SERVICE]: new Array(rows), [TYPE]: new Array(rows), [COST]: new Array(rows) };
    await parquetRead({
      file: buffer, metadata, compressors, columns: [SERVICE, TYPE, COST],
      rowStart: groupStart, rowEnd: groupStart + rows,
      onChunk({ columnName, columnData, rowStart }) {
        const into = columns[columnName];
        for (let i = 0; i < columnData.length; i++) into[rowStart - groupStart + i] = columnData[i];
      },
    });
    const service = columns[SERVICE], type = columns[TYPE], cost = columns[COST];
    for (let i = 0; i < rows; i++) {
      if (type[i] !== 'Usage') continue;
      const key = service[i] ?? '';
      sums[key] = (sums[key] ?? 0) + (cost[i] ?? 0);
    }
    groupStart += rows;
  }
  return sums;
}

const tools = {
  'duckdb-buffer': (file) => withDuckdb(file, false),
  'duckdb-handle': (file) => withDuckdb(file, true),
  'hyparquet': withHyparquet,
};

document.getElementById('file').addEventListener('change', async (event) => {
  const started = performance.now();
  const tool = document.getElementById('tool').value;
  const file = event.target.files[0];
  status.dataset.state = 'loading';
  try {
    const sums = await tools[tool](file);
    window.benchResult = { ms: performance.now() - started, sums };
    status.dataset.state = 'done';
  } catch (error) {
    window.benchResult = { error: String(error?.message ?? error) };
    status.dataset.state = 'error';
  }
  event.target.value = '';
});
status.dataset.state = 'idle';
