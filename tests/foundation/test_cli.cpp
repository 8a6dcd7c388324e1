// The command line every teacher meets first: help, version, errors, and a --help for
// every subcommand (a feature not reachable from cardpoll does not exist).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "tests/support/cardpoll_cli.h"

namespace test_support = cardpoll::test_support;

namespace {

using test_support::CliRun;

// The tests below read stdout and stderr together, as a user sees them.
struct Output {
  int exit_code;
  std::string text;
};

Output run_words(const std::string& args) {
  const CliRun r = test_support::run_cardpoll_line(args);
  return {r.exit_code, r.all()};
}

// As a user on a text console (or over ssh) runs it: no X11 or Wayland display.
Output run_words_without_display(const std::string& args) {
  std::vector<std::pair<const char*, std::optional<std::string>>> saved;
  for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    const char* was = std::getenv(v);
    saved.emplace_back(v, was ? std::optional<std::string>(was) : std::nullopt);
    ::unsetenv(v);
  }
  Output r = run_words(args);
  for (const auto& [v, was] : saved)
    if (was) ::setenv(v, was->c_str(), 1);
  return r;
}

// The command names listed by `cardpoll --help`.
std::vector<std::string> listed_commands() {
  const auto help = run_words("--help").text;
  std::vector<std::string> names;
  std::istringstream in(help.substr(help.find("Commands:")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    names.push_back(name);
  }
  return names;
}

}  // namespace

TEST(Cli, HelpAndVersion) {
  auto h = run_words("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.text.find("Usage: cardpoll"), std::string::npos);
  EXPECT_NE(h.text.find("--db PATH"), std::string::npos);
  auto v = run_words("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.text.rfind("cardpoll ", 0), 0u);
}

TEST(Cli, EveryCommandHasItsOwnHelp) {
  const auto names = listed_commands();
  EXPECT_GE(names.size(), 2u);
  for (const auto& name : names) {
    auto r = run_words(name + " --help");
    EXPECT_EQ(r.exit_code, 0) << name;
    EXPECT_NE(r.text.find("Usage: cardpoll " + name), std::string::npos) << name << ":\n" << r.text;
    auto via_help = run_words("help " + name);
    EXPECT_EQ(via_help.text, r.text) << name;
  }
}

TEST(Cli, WrongWordsExitTwoAndSayWhat) {
  // No command and no display: the help, exit 2 (with a display `cardpoll` opens the app).
  auto none = run_words_without_display("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.text.find("Usage: cardpoll"), std::string::npos);
  auto unknown = run_words("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.text.find("unknown command 'frobnicate'"), std::string::npos);
  auto badopt = run_words("--frob");
  EXPECT_EQ(badopt.exit_code, 2);
  EXPECT_NE(badopt.text.find("--frob"), std::string::npos);
  auto nodb = run_words("decks --db");
  EXPECT_EQ(nodb.exit_code, 2);
  EXPECT_NE(nodb.text.find("--db needs a path"), std::string::npos);
  auto subopt = run_words("decks --colour");
  EXPECT_EQ(subopt.exit_code, 2);
  EXPECT_NE(subopt.text.find("unknown option --colour"), std::string::npos);
}

// A video that is not one: cardpoll says so in its own words; FFmpeg's "moov atom not found"
// reaches the terminal only with --verbose.
TEST(Cli, LibraryWarningsOnlyWithVerbose) {
  test_support::TempDir dir;
  const auto bad = dir / "lesson.mp4";
  std::ofstream(bad) << "not a video";
  const auto quiet = test_support::run_cardpoll_line("scan " + test_support::shell_quote(bad.string()));
  EXPECT_NE(quiet.exit_code, 0);
  EXPECT_NE(quiet.err.find("cannot open as a video"), std::string::npos) << quiet.err;
  EXPECT_EQ(quiet.err.find("moov atom"), std::string::npos) << quiet.err;
  const auto loud =
      test_support::run_cardpoll_line("--verbose scan " + test_support::shell_quote(bad.string()));
  EXPECT_NE(loud.err.find("moov atom"), std::string::npos) << loud.err;
  EXPECT_NE(loud.err.find("cannot open as a video"), std::string::npos) << loud.err;
}
