// End to end: `cardpoll live --headless` on the bundled demo recording (rendered by
// tools/make_demo with QR command cards for next / reveal), then `cardpoll export`, must
// give exactly the recording's ground truth (assets/demo/truth.csv): every student's final
// answer to every question, and every answer change in order (truth "A>D" = answered A, then
// changed to D). One run of the lesson is shared by the tests below (it takes a few seconds).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/store/db.h"
#include "core/store/storage.h"
#include "tests/support/cardpoll_cli.h"
#include "tests/support/lesson_truth.h"

using namespace cardpoll;
using namespace cardpoll::test_support;
namespace fs = std::filesystem;

namespace {

class LiveDemoEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cardpoll-live-e2e-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const fs::path demo = fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo" / "demo.mp4";
    // With --snapshot, as a teacher reviewing the lesson would run it: the pictures must not
    // change a single stored answer (the tests below compare them with the truth).
    live_ = new CliRun(run_cardpoll_on(*dir_ / "db", {"live", "--headless", "--source", demo.string(),
                                                  "--snapshot", (*dir_ / "snaps").string()}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete live_;
  }
  static fs::path* dir_;
  static CliRun* live_;
};

fs::path* LiveDemoEndToEnd::dir_ = nullptr;
CliRun* LiveDemoEndToEnd::live_ = nullptr;

TEST_F(LiveDemoEndToEnd, RunsToTheEndOfTheRecording) {
  ASSERT_EQ(live_->exit_code, 0) << live_->all();
  EXPECT_NE(live_->all().find("session 1 ended (source finished): 3 questions asked"), std::string::npos)
      << live_->all();
}

TEST_F(LiveDemoEndToEnd, SnapshotsAtEachRevealMidQuestionAndAtTheEnd) {
  ASSERT_EQ(live_->exit_code, 0) << live_->all();
  std::vector<std::string> want;
  for (int ask = 1; ask <= 3; ++ask)
    for (const char* view : {"projector", "teacher"}) {
      want.push_back("ask" + std::to_string(ask) + "-" + view + ".png");
      want.push_back("ask" + std::to_string(ask) + "-collecting-" + view + ".png");
    }
  want.push_back("end-projector.png");
  want.push_back("end-teacher.png");
  for (const auto& name : want) {
    const std::string png = read_text(*dir_ / "snaps" / name);
    ASSERT_GT(png.size(), 1000u) << name;
    EXPECT_EQ(png.substr(1, 3), "PNG") << name;
  }
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(*dir_ / "snaps")) ++files;
  EXPECT_EQ(files, want.size());
}

TEST_F(LiveDemoEndToEnd, ExportedResponsesEqualTheTruth) {
  ASSERT_EQ(live_->exit_code, 0) << live_->all();
  const fs::path csv = *dir_ / "responses.csv";
  const CliRun ex = run_cardpoll_on(*dir_ / "db", {"export", "--session", "1", "--format", "responses", "--out", csv.string()});
  ASSERT_EQ(ex.exit_code, 0) << ex.all();
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

  const History truth = read_truth(fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo" / "truth.csv");
  const int students = 25, questions = 3;
  // One row per student per ask: every student has a row, answered or not.
  ASSERT_EQ(t.records.size(), 1u + students * questions);
  History finals, want;
  for (const auto& [key, h] : truth) want[key] = final_answer(h);
  for (size_t i = 1; i < t.records.size(); ++i) {
    const auto& f = t.records[i].fields;
    ASSERT_GT(f.size(), answer);
    const std::pair<int, int> key{std::stoi(f[ask]), std::stoi(f[card])};
    if (!want.count(key)) {
      EXPECT_EQ(f[answer], "") << "question " << key.first << " card " << key.second
                               << ": the truth has no answer, the export has one";
      continue;
    }
    finals[key] = f[answer];
  }
  EXPECT_EQ(joined(differences(finals, want)), "");
}

TEST_F(LiveDemoEndToEnd, EveryAnswerChangeIsStoredInOrder) {
  ASSERT_EQ(live_->exit_code, 0) << live_->all();
  OpenOptions read_only;
  read_only.read_only = true;
  Database db(*dir_ / "db", read_only);
  const SessionData data = load_session_data(db, 1);
  // The demo asks questions 1, 2, 3 in order, once each.
  std::map<Id, int> position_of_ask;
  ASSERT_EQ(data.asks.size(), 3u);
  for (const auto& a : data.asks) {
    int position = 0;
    for (const auto& q : data.set.questions)
      if (q.id == a.question_id) position = q.position;
    EXPECT_EQ(position, a.number);
    position_of_ask[a.id] = position;
  }
  std::map<Id, int> card_of;
  for (const auto& s : data.students) card_of[s.id] = s.card;

  History stored;
  for (const auto& c : data.changes) {  // in time order
    std::string& h = stored[{position_of_ask.at(c.ask_id), card_of.at(c.student_id)}];
    h += std::string(h.empty() ? "" : ">") + answer_letter(c.answer);
  }
  const History truth = read_truth(fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo" / "truth.csv");
  int changes_in_truth = 0;
  for (const auto& [key, h] : truth) changes_in_truth += static_cast<int>(std::count(h.begin(), h.end(), '>'));
  ASSERT_GT(changes_in_truth, 0) << "the demo recording must contain answer changes";
  EXPECT_EQ(joined(differences(stored, truth)), "");
}

// The comparison above must be able to fail: the truth with one change left out, or one
// answer altered, is reported.
TEST(LiveDemoTruth, ComparisonCatchesAMissingChange) {
  const History truth = read_truth(fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo" / "truth.csv");
  History missing_change = truth;
  bool dropped = false;
  for (auto& [key, h] : missing_change)
    if (const auto gt = h.find('>'); gt != std::string::npos && !dropped) {
      h = h.substr(gt + 1);
      dropped = true;
    }
  ASSERT_TRUE(dropped);
  EXPECT_EQ(differences(missing_change, truth).size(), 1u);
  History extra = truth;
  extra[{1, 99}] = "A";
  EXPECT_EQ(differences(extra, truth).size(), 1u);
  EXPECT_TRUE(differences(truth, truth).empty());
}

}  // namespace
