// `cardpoll cards --commands` as a teacher runs it: a PDF of the QR command cards, four to a
// page (6 fixed commands + one card per question), and bad options refused with no file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lesson/commands.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using test_support::run_cardpoll;
using test_support::read_text;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("cardpoll-command-cards-" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& leaf) const { return path / leaf; }
};

int pages_in(const std::string& pdf) {
  int n = 0;
  for (const char* marker : {"/Type /Page\n", "/Type /Page "})
    for (size_t at = pdf.find(marker); at != std::string::npos; at = pdf.find(marker, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(CommandCardsCli, OnePagePerFourCards) {
  TempDir dir;
  for (int questions : {1, 3, 10}) {
    const fs::path out = dir / ("commands" + std::to_string(questions) + ".pdf");
    const auto r = run_cardpoll({"cards", "--commands", "--questions", std::to_string(questions), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.all();
    const int cards = static_cast<int>(lesson::command_card_set(questions).size());
    EXPECT_EQ(cards, 6 + questions);
    EXPECT_NE(r.out.find("wrote " + std::to_string(cards) + " command cards"), std::string::npos) << r.out;
    const std::string pdf = read_text(out);
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(pages_in(pdf), (cards + 3) / 4) << questions << " questions";
  }
}

TEST(CommandCardsCli, DefaultIsTenQuestionCardsOnLetterOrA4) {
  TempDir dir;
  for (const char* paper : {"letter", "a4"}) {
    const fs::path out = dir / (std::string(paper) + ".pdf");
    const auto r = run_cardpoll({"cards", "--commands", "--paper", paper, "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.all();
    EXPECT_EQ(pages_in(read_text(out)), 4);  // 16 cards
  }
}

TEST(CommandCardsCli, BadOptionsAreRefusedAndWriteNothing) {
  TempDir dir;
  const fs::path out = dir / "x.pdf";
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--questions", "0"}, {"--questions", "100"}, {"--deck", "classroom"},
        {"--paper", "legal"}, {"--per-page", "2"}}) {
    std::vector<std::string> args = {"cards", "--commands", "--out", out.string()};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto r = run_cardpoll(args);
    EXPECT_NE(r.exit_code, 0) << bad[0] << " " << bad[1];
    EXPECT_NE(r.err.find(bad[0]), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << bad[0];
  }
  // --questions without --commands is a mistake too.
  EXPECT_NE(run_cardpoll({"cards", "--questions", "3", "--out", out.string()}).exit_code, 0);
  // An output folder that does not exist: named in the error.
  const auto r = run_cardpoll({"cards", "--commands", "--out", "/nonexistent-dir/c.pdf"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent-dir/c.pdf"), std::string::npos) << r.err;
}
