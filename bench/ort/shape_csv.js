'use strict';
// Reads a CSV of model-call shapes: a header naming at least the columns batch,
// height and width (any order, other columns ignored), then one shape a line.
// Used for autoscale's measurement plan and for a router's list of runs. Throws
// an Error whose message names the file, line and column of the first bad value.

const fs = require('fs');

const kShapeColumns = ['batch', 'height', 'width'];

// Splits one CSV line into fields; a double-quoted field may hold commas and
// doubled quotes. Returns null for an unterminated quote.
function splitCsvLine(line) {
  const fields = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      // Text after the closing quote up to the comma belongs to the field.
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field += line.slice(i, end);
      i = end;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end;
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++;  // the comma
  }
}

// Parses CSV text; `name` is the file name used in error messages.
// Returns [{batch, height, width, line}] in file order, line the 1-based line
// number in the file. Blank lines are skipped.
function parseShapeCsv(text, name) {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new Error(`${name}: empty file, expected a header with ${kShapeColumns.join(',')}`);
  if (headerIndex === 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  const header = splitCsvLine(lines[headerIndex]);
  if (header === null) throw new Error(`${name}:${headerIndex + 1}: unterminated quote in the header`);
  const names = header.map((h) => h.toLowerCase());
  const column = {};
  for (const key of kShapeColumns) {
    const at = names.indexOf(key);
    if (at < 0) throw new Error(`${name}:${headerIndex + 1}: header has no column '${key}'`);
    if (names.indexOf(key, at + 1) >= 0) {
      throw new Error(`${name}:${headerIndex + 1}: header names column '${key}' twice`);
    }
    column[key] = at;
  }
  const shapes = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const fields = splitCsvLine(lines[i]);
    if (fields === null) throw new Error(`${name}:${i + 1}: unterminated quote`);
    const shape = { line: i + 1 };
    for (const key of kShapeColumns) {
      const value = fields[column[key]];
      if (value === undefined) throw new Error(`${name}:${i + 1}: missing column '${key}'`);
      if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
        throw new Error(`${name}:${i + 1}: '${key}' must be a positive integer, got '${value}'`);
      }
      shape[key] = Number(value);
    }
    shapes.push(shape);
  }
  return shapes;
}

// Reads and parses the CSV file at `path`.
function readShapeCsv(path) {
  let text;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read: ${e.code || e.message}`);
  }
  return parseShapeCsv(text, path);
}

function shapeKey(s) {
  return `${s.batch}x${s.height}x${s.width}`;
}

module.exports = { parseShapeCsv, readShapeCsv, shapeKey };
