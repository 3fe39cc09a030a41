// The conversion section of the report: what `convert` wrote and how.
#include "stats/report/html_text.h"
#include "stats/report/report_sections.h"

namespace autoscale {

namespace {

std::string GearText(const std::array<int64_t, 4>& g) {
  return std::to_string(g[0]) + "\u00d7" + std::to_string(g[1]) + "\u00d7" + std::to_string(g[2]) +
         "\u00d7" + std::to_string(g[3]);
}

std::string ModelRow(const ReportModelFile& m) {
  std::string gears;
  for (const auto& g : m.gears) gears += (gears.empty() ? "" : ", ") + GearText(g);
  std::string out =
      "<tr><td><code>" + HtmlEscape(m.file.empty() ? m.name : m.file) + "</code></td><td>" +
      HtmlEscape(m.mode) + "</td><td>" + HtmlEscape(m.input_shape) + "</td><td>" +
      std::to_string(m.gears.size()) + "</td><td class=\"gear-list\">" + HtmlEscape(gears) +
      "</td><td>" +
      (m.runtime_call.empty() ? "static" : "<code>" + HtmlEscape(m.runtime_call) + "</code>") +
      "</td>";
  if (m.ok)
    out += "<td>ok</td>";
  else
    out += "<td class=\"error\">failed: " + HtmlEscape(m.error) + "</td>";
  return out + "</tr>\n";
}

}  // namespace

std::string ConversionSection(const ReportInput& input) {
  if (!input.conversion) return "";
  const ReportConversion& c = *input.conversion;
  std::string out = "<section id=\"conversion\">\n<h2>Conversion</h2>\n<table class=\"facts\">\n";
  const auto row = [&](const std::string& label, const std::string& value_html) {
    out += "<tr><td>" + HtmlEscape(label) + "</td><td>" + value_html + "</td></tr>\n";
  };
  row("model", "<code>" + HtmlEscape(c.model_path) + "</code>");
  row("input",
      "<code>" + HtmlEscape(c.input_name) + "</code> " + HtmlEscape(input.shape.ToString()));
  row("backend", HtmlEscape(c.backend) + (c.dry_run ? " (dry run: nothing converted)" : ""));
  if (c.backend == "atc" || c.backend == "lite") row("mode", HtmlEscape(c.atc_mode));
  row("output folder", "<code>" + HtmlEscape(c.output_path) + "</code>");
  out +=
      "</table>\n<h3>Model files</h3>\n<div class=\"table-box\"><table>\n<thead><tr><th>file</th>"
      "<th>mode</th><th>input shape</th><th>gears</th><th>shapes (n\u00d7c\u00d7h\u00d7w)</th>"
      "<th>runtime call</th><th>status</th></tr></thead>\n<tbody>\n";
  for (const ReportModelFile& m : c.models) out += ModelRow(m);
  out += "</tbody></table></div>\n";
  if (!c.commands.empty()) {
    out += "<h3>Converter commands</h3>\n";
    if (!c.script_path.empty())
      out += "<p class=\"caption\">As written to <code>" + HtmlEscape(c.script_path) +
             "</code>, which runs them from its own folder.</p>\n";
    out += "<pre><code>";
    for (const std::string& command : c.commands) out += HtmlEscape(command) + "\n";
    out += "</code></pre>\n";
  }
  out += "</section>\n";
  return out;
}

}  // namespace autoscale
