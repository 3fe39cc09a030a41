'use strict';
// Tests of the shape CSV reader: node --test bench/ort/

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const test = require('node:test');
const { parseShapeCsv, readShapeCsv, shapeKey } = require('./shape_csv');

test('reads the shape columns in any order and ignores the others', () => {
  const shapes = parseShapeCsv('note,width,batch,height\r\nx,64,2,48\r\n\r\n"a,""b",32,1,48\r\n', 'p.csv');
  assert.deepStrictEqual(shapes, [
    { line: 2, batch: 2, height: 48, width: 64 },
    { line: 4, batch: 1, height: 48, width: 32 },
  ]);
  assert.strictEqual(shapeKey(shapes[0]), '2x48x64');
});

test('a header alone gives no shapes', () => {
  assert.deepStrictEqual(parseShapeCsv('batch,height,width\n', 'p.csv'), []);
});

test('errors name the file, the line and the column', () => {
  assert.throws(() => parseShapeCsv('', 'p.csv'), /^Error: p\.csv: empty file/);
  assert.throws(() => parseShapeCsv('batch,width\n1,2\n', 'p.csv'), /^Error: p\.csv:1: header has no column 'height'$/);
  assert.throws(() => parseShapeCsv('batch,height,width,batch\n', 'p.csv'), /p\.csv:1: header names column 'batch' twice/);
  assert.throws(() => parseShapeCsv('batch,height,width\n1,48,32\n1,48\n', 'p.csv'), /^Error: p\.csv:3: missing column 'width'$/);
  assert.throws(() => parseShapeCsv('batch,height,width\n0,48,32\n', 'p.csv'), /p\.csv:2: 'batch' must be a positive integer, got '0'/);
  assert.throws(() => parseShapeCsv('batch,height,width\n1,48,3.5\n', 'p.csv'), /p\.csv:2: 'width' must be a positive integer, got '3\.5'/);
  assert.throws(() => parseShapeCsv('batch,height,width,n\n1,48,32,"x\n', 'p.csv'), /p\.csv:2: unterminated quote/);
});

test('reads a file and names a missing one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shape_csv_test'));
  const file = path.join(dir, 'plan.csv');
  fs.writeFileSync(file, 'batch,height,width\n4,48,96\n');
  assert.deepStrictEqual(readShapeCsv(file), [{ line: 2, batch: 4, height: 48, width: 96 }]);
  assert.throws(() => readShapeCsv(path.join(dir, 'none.csv')), /none\.csv: cannot read: ENOENT/);
  fs.rmSync(dir, { recursive: true });
});
