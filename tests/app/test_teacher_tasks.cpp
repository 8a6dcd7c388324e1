// The app's tasks say what the CLI says: the same warnings, summary and refusal for the same
// file, and the same rows stored. Each case runs the command and the task on twin databases.
#include <gtest/gtest.h>

#include <sstream>

#include "../core/test_db_util.h"
#include "core/exchange/export.h"
#include "core/store/storage.h"
#include "core/teacher_tasks.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
namespace test_support = cardpoll::test_support;

namespace {

const std::filesystem::path kData = std::filesystem::path(CARDPOLL_TEST_DATA) / "import";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) v.push_back(l);
  return v;
}

// What the CLI printed, as the task's lines: warnings (stderr), then the summary (stdout), or
// the refusal without its "cardpoll COMMAND: " prefix.
std::vector<std::string> cli_lines(const test_support::CliRun& r, const std::string& command) {
  std::vector<std::string> out;
  for (const auto& l : lines_of(r.err)) {
    const std::string prefix = "cardpoll " + command + ": ";
    out.push_back(l.rfind(prefix, 0) == 0 ? "error: " + l.substr(prefix.size()) : l);
  }
  for (const auto& l : lines_of(r.out)) out.push_back(l);
  return out;
}

std::vector<std::string> task_lines(const TaskReport& r) {
  std::vector<std::string> out = r.warnings;
  if (!r.error.empty()) out.push_back("error: " + r.error);
  if (!r.summary.empty()) out.push_back(r.summary);
  return out;
}

}  // namespace

TEST(TeacherTasks, RosterImportSaysWhatTheCliSays) {
  int warned = 0, refused = 0;
  for (const char* file : {"roster_basic.csv", "roster_duplicate_names.csv", "roster_missing_cards.csv",
                           "roster_school_export.csv", "bad_roster_bad_last_first.csv", "no_such_file.csv"}) {
    test_support::TempDir dir;
    const auto path = kData / file;
    const auto cli = test_support::run_cardpoll({"--db", (dir / "cli.db").string(), "class", "import", "--class", "P3", path.string()});
    Database db(dir / "app.db");
    const TaskReport r = import_roster_task(db, path, {"P3", "", false});
    EXPECT_EQ(task_lines(r), cli_lines(cli, "class")) << file;
    EXPECT_EQ(r.ok(), cli.exit_code == 0) << file;
    warned += !r.warnings.empty();
    refused += !r.ok();
    if (r.ok()) {
      Database back(dir / "cli.db");
      const auto a = list_students(db, find_class(db, "P3")->id), b = list_students(back, find_class(back, "P3")->id);
      ASSERT_EQ(a.size(), b.size()) << file;
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].display_name, b[i].display_name);
        EXPECT_EQ(a[i].card, b[i].card);
        EXPECT_EQ(a[i].tags, b[i].tags);
      }
    }
  }
  EXPECT_GE(warned, 2);  // the cases do cover the warnings and the refusals
  EXPECT_EQ(refused, 2);
}

TEST(TeacherTasks, QuestionImportSaysWhatTheCliSays) {
  for (const char* file : {"questions_basic.csv", "questions.gift", "questions.aiken", "questions_txt_gift.txt",
                           "bad_gift_five.gift", "bad_q_answer_e.csv"}) {
    test_support::TempDir dir;
    const auto path = kData / file;
    const auto cli = test_support::run_cardpoll({"--db", (dir / "cli.db").string(), "questions", "import", "--set", "S", path.string()});
    Database db(dir / "app.db");
    const TaskReport r = import_questions_task(db, path, QuestionFormat::Auto, {"S", false});
    EXPECT_EQ(task_lines(r), cli_lines(cli, "questions")) << file;
    EXPECT_EQ(r.ok(), cli.exit_code == 0) << file;
  }
}

TEST(TeacherTasks, ARefusedImportChangesNothing) {
  test_support::TempDir dir;
  Database db(dir / "app.db");
  ASSERT_TRUE(import_roster_task(db, kData / "roster_basic.csv", {"P3", "", false}).ok());
  const auto before = cardpoll::testing_store::dump_database(dir / "app.db");
  const TaskReport r = import_roster_task(db, kData / "bad_roster_bad_last_first.csv", {"P3", "", false});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("bad_roster_bad_last_first.csv:"), std::string::npos) << r.error;
  EXPECT_EQ(cardpoll::testing_store::dump_database(dir / "app.db"), before);
  EXPECT_FALSE(import_roster_task(db, kData / "roster_basic.csv", {"P3", "nosuchdeck", false}).ok());
}

TEST(TeacherTasks, ExportWritesWhatTheCliWrites) {
  test_support::TempDir dir;
  const auto db_path = dir / "x.db";
  {
    Database db(db_path);
    ASSERT_TRUE(import_roster_task(db, kData / "roster_basic.csv", {"P3", "", false}).ok());
    ASSERT_TRUE(import_questions_task(db, kData / "questions_basic.csv", QuestionFormat::Auto, {"S", false}).ok());
  }
  ASSERT_EQ(test_support::run_cardpoll({"--db", db_path.string(), "session", "start", "--class", "P3", "--set", "S"}).exit_code, 0);
  test_support::run_cardpoll({"--db", db_path.string(), "session", "ask", "--session", "latest", "--next"});
  test_support::run_cardpoll({"--db", db_path.string(), "session", "record", "--session", "latest", "--card", "1", "--answer", "B"});
  for (const char* format : {"responses", "scoresheet", "json", "html"}) {
    const auto cli_out = dir / (std::string("cli.") + format);
    const auto cli = test_support::run_cardpoll({"--db", db_path.string(), "export", "--session", "1", "--format", format,
                                                 "--out", cli_out.string()});
    ASSERT_EQ(cli.exit_code, 0) << cli.all();
    Database db(db_path);
    const auto app_out = dir / (std::string("app.") + format);
    const TaskReport r = export_session_task(db, 1, *export_format_from_name(format), app_out);
    ASSERT_TRUE(r.ok()) << r.error;
    // The same words, naming the app's file.
    std::string expected = lines_of(cli.err).at(0);
    expected.replace(expected.find(cli_out.string()), cli_out.string().size(), app_out.string());
    EXPECT_EQ(r.summary, expected);
    const std::string a = test_support::read_text(app_out), b = test_support::read_text(cli_out);
    if (std::string(format) == "json" || std::string(format) == "html") EXPECT_EQ(a.size(), b.size()) << format;
    else EXPECT_EQ(a, b) << format;
  }
  Database db(db_path);
  const TaskReport bad = export_session_task(db, 1, ExportFormat::Responses, dir / "no" / "such" / "folder.csv");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("folder"), std::string::npos) << bad.error;
}

TEST(TeacherTasks, StudentsEditedInPlaceFollowTheCardRules) {
  test_support::TempDir dir;
  Database db(dir / "x.db");
  ASSERT_TRUE(create_class_task(db, "  P3 ", "classroom").ok());
  EXPECT_FALSE(create_class_task(db, "P3", "classroom").ok());
  EXPECT_FALSE(create_class_task(db, "", "classroom").ok());
  EXPECT_FALSE(create_class_task(db, "P4", "nosuch").ok());
  const ClassInfo k = *find_class(db, "P3");
  ASSERT_TRUE(add_student_task(db, k.id, "Ana Garcia", "EL; iep", 0).ok());
  ASSERT_TRUE(add_student_task(db, k.id, "Ben Okafor", "", 0).ok());
  auto st = list_students(db, k.id);
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].card, 1);
  EXPECT_EQ(st[1].card, 2);
  EXPECT_EQ(st[0].tags, (std::vector<std::string>{"el", "iep"}));
  // Name, tags and card at once.
  const TaskReport ok = edit_student_task(db, st[0].id, "Ana G.", "lang:es", 7);
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(find_student(db, st[0].id)->display_name, "Ana G.");
  EXPECT_EQ(find_student(db, st[0].id)->card, 7);
  EXPECT_EQ(find_student(db, st[0].id)->tags, (std::vector<std::string>{"lang:es"}));
  // A card someone holds, a card outside the deck, an empty name: refused, nothing changed.
  const auto before = cardpoll::testing_store::dump_database(dir / "x.db");
  const TaskReport taken = edit_student_task(db, st[1].id, "Ben O.", "x", 7);
  EXPECT_NE(taken.error.find("already belongs to Ana G."), std::string::npos) << taken.error;
  EXPECT_NE(edit_student_task(db, st[1].id, "Ben", "", 50).error.find("not in deck classroom"), std::string::npos);
  EXPECT_FALSE(edit_student_task(db, st[1].id, "  ", "", 2).ok());
  EXPECT_EQ(cardpoll::testing_store::dump_database(dir / "x.db"), before);
  EXPECT_EQ(card_names(list_students(db, k.id)), (std::map<int, std::string>{{2, "Ben Okafor"}, {7, "Ana G."}}));
}
