// Running the built `cardpoll` from a test, as a user would, and a temporary folder that
// cleans up after itself. Shared by every test room that drives the command line.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace cardpoll::test_support {

// Single-quotes `s` for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct CliRun {
  int exit_code = -1;
  std::string out, err;  // stdout and stderr, kept apart
  std::string all() const { return out + err; }
  std::vector<std::string> lines() const {  // stdout, line by line
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }
};

// A fresh folder under the system temp folder, named after the running test, removed at
// the end of the scope.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag = "") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "cardpoll-" + std::to_string(::getpid()) + "-" +
                       (info ? std::string(info->test_suite_name()) + "." + info->name() : "x");
    if (!tag.empty()) name += "-" + tag;
    for (char& c : name)
      if (c == '/') c = '_';
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;  // one owner removes the folder
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& leaf) const { return path / leaf; }
};

// Runs `cardpoll <shell_args>`: the arguments are given to /bin/sh as written (quote paths
// with shell_quote). `stdin_text` is fed to the command's standard input.
inline CliRun run_cardpoll_line(const std::string& shell_args, const std::string& stdin_text = "") {
  char err_name[] = "/tmp/cardpoll-stderr-XXXXXX";
  char in_name[] = "/tmp/cardpoll-stdin-XXXXXX";
  const int err_fd = ::mkstemp(err_name), in_fd = ::mkstemp(in_name);
  CliRun r;
  if (err_fd < 0 || in_fd < 0) return r;
  ::close(err_fd);
  ::close(in_fd);
  std::ofstream(in_name, std::ios::binary) << stdin_text;
  const std::string cmd = shell_quote(CARDPOLL_EXE) + " " + shell_args + " <" + shell_quote(in_name) +
                          " 2>" + shell_quote(err_name);
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream e(err_name, std::ios::binary);
  r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
  std::remove(err_name);
  std::remove(in_name);
  return r;
}

// A whole file as bytes; empty when it cannot be read.
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `cardpoll` with each argument quoted.
inline CliRun run_cardpoll(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::string line;
  for (const auto& a : args) line += (line.empty() ? "" : " ") + shell_quote(a);
  return run_cardpoll_line(line, stdin_text);
}

// `cardpoll --db DB ARGS...`
inline CliRun run_cardpoll_on(const std::filesystem::path& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db.string()});
  return run_cardpoll(args);
}

}  // namespace cardpoll::test_support
