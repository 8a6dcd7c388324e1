// End to end with the cards a class already owns: tools/make_demo renders a lesson in which
// every student holds a Plickers-format card (numbers spread over 1-63, the patterns shared
// with classroom cards among them); the class is imported with `--deck plickers`, the lesson
// runs headless through `cardpoll live`, and the export and the stored answer changes must
// equal the recording's ground truth exactly.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cardpoll_cli.h"
#include "tests/support/lesson_truth.h"

using namespace cardpoll;
using namespace cardpoll::test_support;
namespace fs = std::filesystem;

namespace {

class PlickersLessonEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cardpoll-plickers-e2e-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    log_ = new std::string;
    const std::string make = shell_quote(CARDPOLL_MAKE_DEMO) + " --deck plickers --students 20 --size 960x540 --fps 12 --seed 11 --out " +
                             shell_quote((*dir_ / "lesson").string()) + " >" + shell_quote((*dir_ / "make_demo.log").string()) +
                             " 2>&1";
    if (std::system(make.c_str()) != 0) {
      *log_ = "make_demo failed: " + make + "\n" + read_text(*dir_ / "make_demo.log");
      return;
    }
    const fs::path db = *dir_ / "db";
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"class", "import", "--class", "Room 12", "--deck", "plickers",
                                   (*dir_ / "lesson" / "class.csv").string()},
          std::vector<std::string>{"questions", "import", "--set", "Fractions", (*dir_ / "lesson" / "questions.csv").string()},
          std::vector<std::string>{"live", "--headless", "--class", "Room 12", "--set", "Fractions", "--source",
                                   (*dir_ / "lesson" / "demo.mp4").string()},
          std::vector<std::string>{"export", "--session", "1", "--format", "responses", "--out",
                                   (*dir_ / "responses.csv").string()}}) {
      const CliRun r = run_cardpoll_on(db, step);
      *log_ += "$ cardpoll " + step[0] + " " + step[1] + "\n" + r.all();
      if (r.exit_code != 0) {
        *log_ += "\nexit " + std::to_string(r.exit_code);
        return;
      }
    }
    ok_ = true;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete log_;
  }
  static fs::path* dir_;
  static std::string* log_;
  static bool ok_;
};

fs::path* PlickersLessonEndToEnd::dir_ = nullptr;
std::string* PlickersLessonEndToEnd::log_ = nullptr;
bool PlickersLessonEndToEnd::ok_ = false;

TEST_F(PlickersLessonEndToEnd, TheClassHoldsPlickersCardsAcrossTheDeck) {
  ASSERT_TRUE(ok_) << *log_;
  EXPECT_NE(log_->find("class \"Room 12\" (deck plickers)"), std::string::npos) << *log_;
  EXPECT_NE(log_->find("live: Room 12 (deck plickers)"), std::string::npos) << *log_;  // read with its own deck
  const History truth = read_truth(*dir_ / "lesson" / "truth.csv");
  bool above_49 = false, shared_pattern = false;
  for (const auto& [key, h] : truth) {
    above_49 = above_49 || key.second > 49;  // cards no classroom deck has
    shared_pattern = shared_pattern || key.second == 14;  // classroom card 32's pattern
  }
  EXPECT_TRUE(above_49);
  EXPECT_TRUE(shared_pattern);
  EXPECT_NE(log_->find("3 questions asked"), std::string::npos) << *log_;
}

TEST_F(PlickersLessonEndToEnd, ExportedFinalAnswersEqualTheTruth) {
  ASSERT_TRUE(ok_) << *log_;
  const fs::path csv = *dir_ / "responses.csv";
  const CsvTable t = parse_csv(read_text(csv), csv.string());
  ASSERT_GE(t.records.size(), 2u);
  const auto& head = t.records[0].fields;
  auto column = [&](const std::string& name) {
    for (size_t i = 0; i < head.size(); ++i)
      if (head[i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return size_t{0};
  };
  const size_t ask = column("ask_number"), card = column("card"), answer = column("answer");
  History want, got;
  for (const auto& [key, h] : read_truth(*dir_ / "lesson" / "truth.csv")) want[key] = final_answer(h);
  ASSERT_EQ(t.records.size(), 1u + 20 * 3);  // every student, every question
  for (size_t i = 1; i < t.records.size(); ++i) {
    const auto& f = t.records[i].fields;
    ASSERT_GT(f.size(), answer);
    if (!f[answer].empty()) got[{std::stoi(f[ask]), std::stoi(f[card])}] = f[answer];
  }
  EXPECT_EQ(joined(differences(got, want)), "") << *log_;
}

TEST_F(PlickersLessonEndToEnd, EveryAnswerChangeIsStoredInOrderAndNothingElse) {
  ASSERT_TRUE(ok_) << *log_;
  const History truth = read_truth(*dir_ / "lesson" / "truth.csv");
  int changes = 0;
  for (const auto& [key, h] : truth) changes += static_cast<int>(std::count(h.begin(), h.end(), '>'));
  ASSERT_GT(changes, 0) << "the lesson must contain answer changes";
  EXPECT_EQ(joined(differences(stored_changes(*dir_ / "db", 1), truth)), "");
}

}  // namespace
