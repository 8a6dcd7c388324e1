// Several cameras end to end: tools/make_demo renders ONE lesson twice, from the front of the
// room and from its front corner (--viewpoint side), each camera blocked from two different
// students (--blocked: a pillar, a head in the way). `cardpoll live --source front --source
// side` must record every student's answer once and right, and every change in order, where
// each camera alone misses the students it cannot see.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/csv.h"
#include "tests/support/cardpoll_cli.h"
#include "tests/support/lesson_truth.h"

using namespace cardpoll;
using namespace cardpoll::test_support;
namespace fs = std::filesystem;

namespace {

constexpr int kStudents = 12;

// (ask, card) -> the final answer exported for a session.
History exported(const fs::path& db, const fs::path& csv) {
  const CliRun r = run_cardpoll_on(db, {"export", "--session", "1", "--format", "responses", "--out", csv.string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  const CsvTable t = parse_csv(read_text(csv), csv.string());
  History got;
  if (t.records.empty()) return got;
  const auto& head = t.records[0].fields;
  auto column = [&](const std::string& name) {
    for (size_t i = 0; i < head.size(); ++i)
      if (head[i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return size_t{0};
  };
  const size_t ask = column("ask_number"), card = column("card"), answer = column("answer");
  EXPECT_EQ(t.records.size(), 1u + kStudents * 3) << "one row per student per question";
  for (size_t i = 1; i < t.records.size(); ++i) {
    const auto& f = t.records[i].fields;
    if (f.size() > answer && !f[answer].empty()) got[{std::stoi(f[ask]), std::stoi(f[card])}] = f[answer];
  }
  return got;
}

class SeveralCamerasEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cardpoll-cameras-e2e-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    log_ = new std::string;
    const fs::path lesson = *dir_ / "lesson";
    for (const auto& [view, blocked] : {std::pair<std::string, std::string>{"front", "3,8"}, {"side", "5,12"}}) {
      const std::string make = shell_quote(CARDPOLL_MAKE_DEMO) + " --students " + std::to_string(kStudents) +
                               " --size 960x540 --fps 12 --seed 13 --viewpoint " + view + " --blocked " + blocked +
                               " --out " + shell_quote(lesson.string()) + " --video " +
                               shell_quote((lesson / (view + ".mp4")).string()) + " >>" +
                               shell_quote((*dir_ / "make_demo.log").string()) + " 2>&1";
      if (std::system(make.c_str()) != 0) {
        *log_ = "make_demo failed: " + make + "\n" + read_text(*dir_ / "make_demo.log");
        return;
      }
    }
    // The merged lesson, and the front camera alone (for contrast).
    for (const std::string run : {"both", "front"}) {
      const fs::path db = *dir_ / (run + ".db");
      std::vector<std::string> live = {"live", "--headless", "--class", "Hall", "--set", "Fractions",
                                       "--source", (lesson / "front.mp4").string()};
      if (run == "both") live.insert(live.end(), {"--source", (lesson / "side.mp4").string()});
      for (const std::vector<std::string>& step :
           {std::vector<std::string>{"class", "import", "--class", "Hall", (lesson / "class.csv").string()},
            std::vector<std::string>{"questions", "import", "--set", "Fractions", (lesson / "questions.csv").string()},
            live}) {
        const CliRun r = run_cardpoll_on(db, step);
        *log_ += "$ cardpoll " + step[0] + " " + step[1] + " (" + run + ")\n" + r.all();
        if (r.exit_code != 0) {
          *log_ += "\nexit " + std::to_string(r.exit_code);
          return;
        }
      }
    }
    ok_ = true;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete log_;
  }
  static History truth_final() {
    History want;
    for (const auto& [key, h] : read_truth(*dir_ / "lesson" / "truth.csv")) want[key] = final_answer(h);
    return want;
  }
  static fs::path* dir_;
  static std::string* log_;
  static bool ok_;
};

fs::path* SeveralCamerasEndToEnd::dir_ = nullptr;
std::string* SeveralCamerasEndToEnd::log_ = nullptr;
bool SeveralCamerasEndToEnd::ok_ = false;

TEST_F(SeveralCamerasEndToEnd, EveryStudentsAnswerIsRecordedOnceAndRight) {
  ASSERT_TRUE(ok_) << *log_;
  EXPECT_NE(log_->find("3 questions asked"), std::string::npos) << *log_;
  const History want = truth_final();
  for (int card : {3, 5, 8, 12}) {  // each is hidden from one camera, and answered
    bool answered = false;
    for (const auto& [key, a] : want) answered |= key.second == card;
    EXPECT_TRUE(answered) << "card " << card << " must answer something for the test to mean anything";
  }
  EXPECT_EQ(joined(differences(exported(*dir_ / "both.db", *dir_ / "both.csv"), want)), "") << *log_;
}

TEST_F(SeveralCamerasEndToEnd, EveryChangeIsStoredOnceInOrder) {
  ASSERT_TRUE(ok_) << *log_;
  const History truth = read_truth(*dir_ / "lesson" / "truth.csv");
  int changes = 0;
  for (const auto& [key, h] : truth) changes += static_cast<int>(std::count(h.begin(), h.end(), '>'));
  ASSERT_GT(changes, 0) << "the lesson must contain answer changes";
  // Seen by two cameras, a change is still one change: the history has no repeats.
  EXPECT_EQ(joined(differences(stored_changes(*dir_ / "both.db", 1), truth)), "");
}

TEST_F(SeveralCamerasEndToEnd, OneCameraAloneMissesTheStudentsItCannotSee) {
  ASSERT_TRUE(ok_) << *log_;
  const History got = exported(*dir_ / "front.db", *dir_ / "front.csv");
  const History want = truth_final();
  int missed = 0;
  for (const auto& [key, a] : want) {
    const auto it = got.find(key);
    if (key.second == 3 || key.second == 8)
      missed += it == got.end();
    else
      EXPECT_TRUE(it != got.end() && it->second == a) << "question " << key.first << " card " << key.second;
  }
  EXPECT_GT(missed, 0);
  for (const auto& [key, a] : got) EXPECT_TRUE(want.count(key) && want.at(key) == a) << "nothing wrong either";
}

}  // namespace
