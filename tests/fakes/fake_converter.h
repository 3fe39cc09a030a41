// What the stand-in converters (atc, converter_lite) share: strict `--k=v`
// argument parsing, number and profile grammar, and the behaviours a test
// asks for through the environment:
//   FAKE_CONVERTER_MODE   ok (default) | fail (write part of the output, then
//                         exit 1) | hang (write part of the output, start a
//                         child process, sleep for an hour) | no_output (exit 0,
//                         write nothing) | os_arch (atc: name the file
//                         <output>_linux_x86_64.om)
//   FAKE_CONVERTER_ONLY   apply the mode only when the output path contains
//                         this text; other runs behave as `ok`
//   FAKE_CONVERTER_ARGS_LOG  append one JSON line per run: {"argv": [...],
//                         "config": "<config file text>"} (before any check)
// A grammar violation prints "<tool>: error: ..." and exits 2.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake {

inline std::string& ToolName() {
  static std::string name = "converter";
  return name;
}

[[noreturn]] inline void Reject(const std::string& message) {
  std::cerr << ToolName() << ": error: " << message << std::endl;
  std::exit(2);
}

// Every argument is `--key=value` with a known key, given once, value not empty.
inline std::map<std::string, std::string> ParseFlags(int argc, char** argv,
                                                     const std::set<std::string>& known) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
      Reject("argument '" + arg + "' is not of the form --key=value");
    const std::string key = arg.substr(2, eq - 2);
    const std::string value = arg.substr(eq + 1);
    if (!known.count(key)) Reject("unknown option --" + key);
    if (value.empty()) Reject("--" + key + " has an empty value");
    if (!flags.emplace(key, value).second) Reject("--" + key + " given twice");
  }
  return flags;
}

inline std::string Require(const std::map<std::string, std::string>& flags,
                           const std::string& key) {
  auto it = flags.find(key);
  if (it == flags.end()) Reject("--" + key + " is required");
  return it->second;
}

// A positive integer written with digits only, no sign, no leading zero.
inline long long Positive(const std::string& text, const std::string& where) {
  if (text.empty() || text.size() > 9 || text[0] == '0' ||
      text.find_first_not_of("0123456789") != std::string::npos)
    Reject(where + ": '" + text + "' is not a positive integer");
  return std::atoll(text.c_str());
}

inline std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// "d,d,d,d" where each d is a positive integer or -1.
inline std::vector<long long> ParseDims(const std::string& text, const std::string& where) {
  std::vector<std::string> parts = Split(text, ',');
  if (parts.size() != 4) Reject(where + ": expected 4 dims, got '" + text + "'");
  std::vector<long long> dims;
  for (const std::string& part : parts) dims.push_back(part == "-1" ? -1 : Positive(part, where));
  return dims;
}

// Checks profiles of the -1 dims at `dynamic` (indices into N,C,H,W):
// 2..100 of them, each with one value per dynamic dim, no duplicates, batch
// 1..2048.
inline void CheckProfiles(const std::vector<std::vector<long long>>& profiles,
                          const std::vector<int>& dynamic, const std::string& where) {
  if (profiles.size() < 2 || profiles.size() > 100)
    Reject(where + ": " + std::to_string(profiles.size()) + " profiles; 2 to 100 are allowed");
  std::set<std::vector<long long>> seen;
  for (const std::vector<long long>& profile : profiles) {
    if (profile.size() != dynamic.size())
      Reject(where + ": a profile has " + std::to_string(profile.size()) + " values for " +
             std::to_string(dynamic.size()) + " dynamic dims");
    for (size_t i = 0; i < profile.size(); ++i)
      if (dynamic[i] == 0 && profile[i] > 2048) Reject(where + ": batch above 2048");
    if (!seen.insert(profile).second) Reject(where + ": duplicate profile");
  }
}

inline std::vector<int> DynamicIndices(const std::vector<long long>& dims) {
  std::vector<int> dynamic;
  for (int i = 0; i < 4; ++i)
    if (dims[i] == -1) dynamic.push_back(i);
  return dynamic;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void LogArgs(int argc, char** argv, const std::string& config_text) {
  const char* log = std::getenv("FAKE_CONVERTER_ARGS_LOG");
  if (!log || !*log) return;
  nlohmann::json line;
  line["argv"] = std::vector<std::string>(argv, argv + argc);
  line["config"] = config_text;
  // Runs may be parallel (-j): one locked append per line, or lines longer
  // than a stream buffer interleave.
  const std::string text = line.dump() + "\n";
  const int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  flock(fd, LOCK_EX);
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
}

// The mode for a run writing `output`.
inline std::string Mode(const std::string& output) {
  const char* mode = std::getenv("FAKE_CONVERTER_MODE");
  const char* only = std::getenv("FAKE_CONVERTER_ONLY");
  if (!mode || !*mode) return "ok";
  if (only && *only && output.find(only) == std::string::npos) return "ok";
  const std::string m = mode;
  if (m != "ok" && m != "fail" && m != "hang" && m != "no_output" && m != "os_arch")
    Reject("FAKE_CONVERTER_MODE '" + m + "' is not ok, fail, hang, no_output or os_arch");
  return m;
}

inline void WriteOutput(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) Reject("cannot write " + path);
  out << contents;
}

// Acts out `mode` for a run that should produce `path` (a checked request).
inline int Finish(const std::string& mode, const std::string& path, const std::string& contents) {
  if (mode == "no_output") {
    std::cout << ToolName() << ": done" << std::endl;
    return 0;
  }
  if (mode == "fail" || mode == "hang") WriteOutput(path, contents.substr(0, contents.size() / 2));
  if (mode == "fail") {
    std::cerr << ToolName() << ": E19999: conversion failed (as requested)" << std::endl;
    return 1;
  }
  if (mode == "hang") {
    const pid_t child = fork();
    if (child == 0) {
      sleep(3600);
      _exit(0);
    }
    std::cout << ToolName() << ": hanging; child process " << child << std::endl;
    sleep(3600);
    return 0;
  }
  WriteOutput(path, contents);
  std::cout << ToolName() << ": wrote " << path << std::endl;
  return 0;
}

}  // namespace fake
