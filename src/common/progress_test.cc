#include "common/progress.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace autoscale {
namespace {

// What was written to `f` since it was opened.
std::string Contents(FILE* f) {
  std::fflush(f);
  std::string text;
  std::rewind(f);
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  return text;
}

TerminalProgress::Options Immediate(FILE* out) {
  TerminalProgress::Options o;
  o.out = out;
  o.only_on_terminal = false;
  o.delay = std::chrono::milliseconds(0);
  o.interval = std::chrono::milliseconds(0);
  return o;
}

TEST_CASE("the progress line: count, total and percentage, cleared at the end", "[progress]") {
  FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  TerminalProgress line(Immediate(out));
  line.Begin("files", 0);
  line.Advance(255);  // the clock is looked at once the count passes a multiple of 256
  CHECK(Contents(out).empty());
  line.Advance(1);
  std::string text = Contents(out);
  CHECK(text.rfind("\r\033[K256 files (", 0) == 0);
  CHECK(text.back() == ')');
  line.End();
  text = Contents(out);
  CHECK(text.size() >= 6);
  CHECK(text.substr(text.size() - 4) == "\r\033[K");

  line.Begin("lines", 1024);
  line.Advance(256);
  text = Contents(out);
  CHECK(text.find("\r\033[K256/1024 lines (25%, ") != std::string::npos);
  std::fclose(out);
}

TEST_CASE("the progress line waits for the delay and draws only on a terminal", "[progress]") {
  FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  {
    TerminalProgress::Options o = Immediate(out);
    o.delay = std::chrono::hours(1);
    TerminalProgress line(o);
    line.Begin("files", 0);
    line.Advance(1000);
    line.End();
  }
  {
    TerminalProgress::Options o = Immediate(out);
    o.only_on_terminal = true;  // a temporary file is not a terminal
    TerminalProgress line(o);
    line.Begin("files", 0);
    line.Advance(1000);
    line.End();
  }
  CHECK(Contents(out).empty());
  std::fclose(out);
}

TEST_CASE("a progress scope reports to its sink and ends it, or does nothing without one",
          "[progress]") {
  struct Recorder : ProgressSink {
    std::string log;
    void Begin(const std::string& what, uint64_t total) override {
      log += "begin " + what + " " + std::to_string(total) + ";";
    }
    void Advance(uint64_t n) override { log += "+" + std::to_string(n) + ";"; }
    void End() override { log += "end;"; }
  } recorder;
  {
    ProgressScope scope(&recorder, "files", 7);
    scope.Advance();
    scope.Advance(3);
  }
  CHECK(recorder.log == "begin files 7;+1;+3;end;");
  ProgressScope none(nullptr, "files");
  none.Advance(5);  // no sink: nothing to call, no crash
}

TEST_CASE("progress lines print whole and the status line is redrawn below them", "[progress]") {
  FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  TerminalProgress progress(Immediate(out));
  progress.Line("rec: converting");
  CHECK(Contents(out) == "rec: converting\n");
  progress.SetStatus("rec 1.0 s: step 2");
  CHECK(Contents(out) == "rec: converting\n\r\033[Krec 1.0 s: step 2");
  progress.Line("rec: ok, 1.2 s");
  CHECK(Contents(out) ==
        "rec: converting\n\r\033[Krec 1.0 s: step 2\r\033[Krec: ok, 1.2 s\nrec 1.0 s: step 2");
  progress.SetStatus("");
  CHECK(Contents(out) ==
        "rec: converting\n\r\033[Krec 1.0 s: step 2\r\033[Krec: ok, 1.2 s\n"
        "rec 1.0 s: step 2\r\033[K");
  std::fclose(out);
}

TEST_CASE("the status line is cut to one line of 80 columns off a terminal", "[progress]") {
  FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  TerminalProgress progress(Immediate(out));
  progress.SetStatus(std::string(100, 'x'));
  CHECK(Contents(out) == "\r\033[K" + std::string(79, 'x'));
  std::fclose(out);
  out = std::tmpfile();
  TerminalProgress utf8(Immediate(out));
  utf8.SetStatus(std::string(78, 'x') + "\xc3\xa9\xc3\xa9");  // two two-byte characters
  CHECK(Contents(out) == "\r\033[K" + std::string(78, 'x') + "\xc3\xa9");
  std::fclose(out);
}

TEST_CASE("off a terminal, lines print and the status line does not", "[progress]") {
  FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  TerminalProgress::Options options = Immediate(out);
  options.only_on_terminal = true;  // a temp file is no terminal
  TerminalProgress progress(options);
  progress.SetStatus("rec 1.0 s");
  progress.Line("rec: ok, 1.0 s");
  progress.SetStatus("");
  CHECK(Contents(out) == "rec: ok, 1.0 s\n");
  std::fclose(out);
}

}  // namespace
}  // namespace autoscale
