#include "runtime/cost_table.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace autoscale {
namespace runtime {

namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> SplitCells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(Trim(cell));
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (end != s.c_str() + s.size() || errno != 0) return false;
  *out = v;
  return true;
}

}  // namespace

Result<std::vector<CostRow>> ParseCostTable(const std::string& text, const std::string& path) {
  const char* kColumns[] = {"batch", "height", "width", "ms"};
  int column[4] = {-1, -1, -1, -1};
  bool have_header = false;
  size_t header_cells = 0;
  std::vector<CostRow> rows;
  std::istringstream in(text);
  std::string raw;
  for (int line_no = 1; std::getline(in, raw); ++line_no) {
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string at = path + ":" + std::to_string(line_no) + ": ";
    const std::vector<std::string> cells = SplitCells(line);
    if (!have_header) {
      for (size_t i = 0; i < cells.size(); ++i)
        for (int k = 0; k < 4; ++k)
          if (cells[i] == kColumns[k]) {
            if (column[k] != -1) return Status::Error(at + "two '" + kColumns[k] + "' columns");
            column[k] = static_cast<int>(i);
          }
      for (int k = 0; k < 4; ++k)
        if (column[k] == -1) return Status::Error(at + "no '" + kColumns[k] + "' column");
      have_header = true;
      header_cells = cells.size();
      continue;
    }
    if (cells.size() != header_cells)
      return Status::Error(at + std::to_string(cells.size()) + " cells, the header has " +
                           std::to_string(header_cells));
    CostRow row;
    int64_t* dims[] = {&row.batch, &row.height, &row.width};
    for (int k = 0; k < 3; ++k) {
      const std::string& cell = cells[column[k]];
      if (!ParseInt(cell, dims[k]))
        return Status::Error(at + "'" + kColumns[k] + "' is not an integer: '" + cell + "'");
      if (*dims[k] <= 0)
        return Status::Error(at + "'" + kColumns[k] + "' must be positive, got " + cell);
    }
    const std::string& ms = cells[column[3]];
    if (!ParseDouble(ms, &row.ms)) return Status::Error(at + "'ms' is not a number: '" + ms + "'");
    if (row.ms < 0) return Status::Error(at + "'ms' is negative: " + ms);
    if (row.ms == 0) return Status::Error(at + "'ms' must be positive, got " + ms);
    rows.push_back(row);
  }
  if (!have_header) return Status::Error(path + ":1: no header line (batch,height,width,ms)");
  Status s = CheckFitRows(rows, path);
  if (!s.ok()) return s;
  return rows;
}

Result<std::vector<CostRow>> LoadCostTable(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Error(path + ": cannot read the file");
  std::ostringstream text;
  text << f.rdbuf();
  return ParseCostTable(text.str(), path);
}

std::string CostPlanCsv(const std::vector<CallShape>& shapes) {
  std::string out = "batch,height,width\n";
  for (const CallShape& s : shapes)
    out += std::to_string(s.batch) + "," + std::to_string(s.height) + "," +
           std::to_string(s.width) + "\n";
  return out;
}

}  // namespace runtime
}  // namespace autoscale
