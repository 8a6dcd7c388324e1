// The app's tasks say what the CLI says: the same warnings, summary and refusal for the same
// file, and the same rows stored. Each case runs the command and the task on twin databases.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>

#include "../core/test_db_util.h"
#include "core/local_time.h"
#include "core/store/corrections.h"
#include "core/exchange/export.h"
#include "core/store/question_edit.h"
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
  for (const auto& l : lines_of(r.summary)) out.push_back(l);  // a summary of several lines
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

namespace {

// A lesson stored through the CLI: P3 (roster_basic), set S, two asks, three answers, ended.
std::filesystem::path cli_lesson(const std::filesystem::path& dir, const char* roster = "roster_basic.csv") {
  const auto db_path = dir / "lesson.db";
  {
    Database db(db_path);
    EXPECT_TRUE(import_roster_task(db, kData / roster, {"P3", "", false}).ok());
    EXPECT_TRUE(import_questions_task(db, kData / "questions_basic.csv", QuestionFormat::Auto, {"S", false}).ok());
  }
  auto run = [&](std::vector<std::string> args) {
    const auto r = test_support::run_cardpoll_on(db_path, args);
    EXPECT_EQ(r.exit_code, 0) << r.all();
  };
  run({"session", "start", "--class", "P3", "--set", "S"});
  run({"session", "ask", "--session", "latest", "--next"});
  run({"session", "record", "--session", "latest", "--card", "1", "--answer", "B"});
  run({"session", "record", "--session", "latest", "--card", "2", "--answer", "A"});
  run({"session", "ask", "--session", "latest", "--next"});
  run({"session", "record", "--session", "latest", "--card", "3", "--answer", "A"});
  run({"session", "end", "--session", "latest"});
  return db_path;
}

// The backup's path differs (its own database, its own second): the words around it must not.
std::vector<std::string> without_backup_paths(std::vector<std::string> lines) {
  for (auto& l : lines) {
    const std::string at = "from just before is at ";
    if (const auto p = l.find(at); p != std::string::npos) {
      const auto end = l.find(" (copy it back", p);
      l = l.substr(0, p + at.size()) + "<backup>" + l.substr(end);
    }
  }
  return lines;
}

}  // namespace

// Each correction done by the command on one copy of a lesson and by the app's task on a twin
// copy: the same words, the same answers and keys stored after.
TEST(TeacherTasks, CorrectionsSayWhatTheCliSays) {
  test_support::TempDir dir;
  const auto lesson = cli_lesson(dir.path);
  struct Case {
    std::vector<std::string> cli;
    std::function<TaskReport(Database&)> task;
    std::string command;
  };
  const auto ben = [](Database& db) { return find_student_by_name(db, find_class(db, "P3")->id, "Ben Okafor")->id; };
  const std::vector<Case> cases = {
      {{"response", "set", "--session", "1", "--ask", "1", "--student", "Ben Okafor", "--answer", "C", "--by", "t"},
       [&](Database& db) { return correct_answer_task(db, 1, 1, ben(db), Answer::C, "t"); }, "response"},
      {{"response", "set", "--session", "1", "--ask", "1", "--student", "Ben Okafor", "--answer", "B", "--by", "t"},
       [&](Database& db) { return correct_answer_task(db, 1, 1, ben(db), Answer::B, "t"); }, "response"},
      {{"response", "set", "--session", "1", "--ask", "9", "--student", "Ben Okafor", "--answer", "B", "--by", "t"},
       [&](Database& db) { return correct_answer_task(db, 1, 9, ben(db), Answer::B, "t"); }, "response"},
      {{"ask", "key", "--session", "1", "--ask", "1", "--answer", "B", "--by", "t"},
       [](Database& db) { return correct_key_task(db, 1, 1, Answer::B, "t"); }, "ask"},
      {{"ask", "key", "--session", "1", "--ask", "1", "--answer", "none", "--by", "t"},
       [](Database& db) { return correct_key_task(db, 1, 1, std::nullopt, "t"); }, "ask"},
      {{"ask", "key", "--session", "1", "--ask", "2", "--answer", "D", "--by", "t"},
       [](Database& db) { return correct_key_task(db, 1, 2, Answer::D, "t"); }, "ask"},
      {{"session", "rename", "--session", "1", "--to", "before groups", "--by", "t"},
       [](Database& db) { return rename_session_task(db, 1, "before groups", "t"); }, "session"},
      {{"class", "rename", "--class", "P3", "--to", "Period 3", "--by", "t"},
       [](Database& db) { return rename_class_task(db, find_class(db, "P3")->id, "Period 3", "t"); }, "class"},
      {{"questions", "rename", "--set", "S", "--to", "Fractions", "--by", "t"},
       [](Database& db) { return rename_question_set_task(db, find_question_set(db, "S")->id, "Fractions", "t"); }, "questions"},
      {{"questions", "delete", "--set", "S", "--by", "t"},
       [](Database& db) { return delete_question_set_task(db, find_question_set(db, "S")->id, "t"); }, "questions"},
      {{"session", "delete", "--session", "1", "--by", "t"},
       [](Database& db) { return delete_session_task(db, 1, "t"); }, "session"},
      {{"class", "delete", "--class", "P3", "--by", "t"},
       [](Database& db) { return delete_class_task(db, find_class(db, "P3")->id, "t"); }, "class"},
  };
  int refused = 0, backups = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const auto twin = dir / ("case" + std::to_string(i));
    std::filesystem::create_directory(twin);
    std::filesystem::copy_file(lesson, twin / "cli.db");
    std::filesystem::copy_file(lesson, twin / "app.db");
    const auto cli = test_support::run_cardpoll_on(twin / "cli.db", c.cli);
    Database db(twin / "app.db");
    const TaskReport r = c.task(db);
    const std::string what = c.cli[0] + " " + c.cli[1] + " " + c.cli.back();
    EXPECT_EQ(without_backup_paths(task_lines(r)), without_backup_paths(cli_lines(cli, c.command))) << what;
    EXPECT_EQ(r.ok(), cli.exit_code == 0) << what;
    refused += !r.ok();
    backups += r.summary.find("a copy of the database") != std::string::npos;
    if (r.ok() && find_session(db, 1)) {
      Database back(twin / "cli.db");
      const SessionData a = load_session_data(db, 1), b = load_session_data(back, 1);
      EXPECT_EQ(export_scoresheet_csv(a), export_scoresheet_csv(b)) << what;
    }
  }
  EXPECT_EQ(refused, 3);  // ask 9, D for a true/false question, and a set a lesson used
  EXPECT_EQ(backups, 2);  // the session and the class deleted
}

// One rule for editing questions (edit_question), whether the CLI or the app's Save does it:
// an asked question's words may change, kept in its lessons' history; its key is a re-key.
TEST(TeacherTasks, AnAskedQuestionIsEditedByTheCliRuleWithHistory) {
  test_support::TempDir dir;
  const auto lesson = cli_lesson(dir.path);
  Database db(lesson);
  Question q = find_question_set(db, "S")->questions.front();
  q.text = "Which fraction is one half?";
  const Question saved = update_question(db, q, "t");
  EXPECT_EQ(saved.text, "Which fraction is one half?");
  const auto history = list_corrections(db, 1);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, "question");
  EXPECT_NE(history.back().old_value.find("Which fraction equals 1/2?"), std::string::npos);
  // The key is not changed by a Save: that is a re-key, which re-scores every lesson.
  q.correct = Answer::C;
  try {
    update_question(db, q, "t");
    ADD_FAILURE() << "an asked question was re-keyed by a Save";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("re-key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(find_question(db, q.id)->correct, Answer::A);
  // The CLI's edit of the same question, on the same rule.
  const auto cli = test_support::run_cardpoll_on(lesson, {"questions", "edit", "--set", "S", "--question", "1", "--text",
                                                          "Which is 1/2?", "--by", "t"});
  EXPECT_EQ(cli.exit_code, 0) << cli.all();
}

// The groups the app suggests are those `cardpoll groups suggest` prints, in every mode and
// focus; a student dragged to another group moves there, without a role.
TEST(TeacherTasks, GroupsAreWhatTheCliSuggests) {
  test_support::TempDir dir;
  const auto lesson = cli_lesson(dir.path);
  Database db(lesson);
  const Id klass = find_class(db, "P3")->id;
  int compared = 0;
  for (const char* mode : {"needs", "mixed", "misconception", "discuss"})
    for (const char* by : {"", "skill", "question", "quiz"}) {
      const bool choice = std::string(mode) == "misconception" || std::string(mode) == "discuss";
      if (choice && *by) continue;
      std::vector<std::string> args{"groups", "suggest", "--class", "P3", "--session", "1", "--mode", mode, "--size", "1-2"};
      GroupSuggestion o;
      o.mode = *group_mode_from_name(mode);
      o.min_size = 1;
      o.max_size = 2;
      if (*by) {
        args.insert(args.end(), {"--by", by});
        o.focus_given = true;
        o.focus = std::string(by) == "skill" ? GroupFocus::Skills : std::string(by) == "question" ? GroupFocus::Questions : GroupFocus::Quiz;
      }
      const auto cli = test_support::run_cardpoll_on(lesson, args);
      std::string text;
      try {
        text = grouping_text(suggest_class_groups(db, klass, {1}, o), "P3");
      } catch (const std::exception& e) {
        text = std::string("error: ") + e.what();
      }
      const std::string cli_text = cli.exit_code == 0 ? cli.out : "error: " + lines_of(cli.err).at(0).substr(std::string("cardpoll groups: ").size());
      EXPECT_EQ(text, cli_text) << mode << " " << by;
      compared += cli.exit_code == 0;
    }
  EXPECT_GE(compared, 4);

  GroupSuggestion o;
  o.min_size = 1;
  o.max_size = 1;
  o.mode = GroupMode::Mixed;
  Grouping g = suggest_class_groups(db, klass, {1}, o);
  ASSERT_GE(g.groups.size(), 2u);
  const Id who = g.groups[0].members[0].student;
  const size_t groups = g.groups.size();
  EXPECT_TRUE(move_group_member(g, who, 1));
  EXPECT_EQ(g.groups.size(), groups - 1);  // its group emptied and went
  bool found = false;
  for (const auto& m : g.groups[0].members) found = found || (m.student == who && m.role.empty());
  EXPECT_TRUE(found);
  EXPECT_FALSE(move_group_member(g, who, 99));
  EXPECT_FALSE(move_group_member(g, 424242, 0));
  const std::string csv = grouping_csv(g);
  EXPECT_EQ(csv.rfind("group,focus,card,student,role,reason", 0), 0u);
}

TEST(TeacherTasks, GradebookExportWritesWhatTheCliWrites) {
  test_support::TempDir dir;
  const auto lesson = cli_lesson(dir.path, "roster_school_export.csv");  // student ids and emails
  int written = 0;
  for (const char* format : {"canvas", "moodle", "classroom", "powerschool"})
    for (const char* per : {"session", "ask"}) {
      const auto cli_out = dir / (std::string("cli-") + format + per);
      const auto cli = test_support::run_cardpoll_on(lesson, {"export", "--session", "1", "--format", format, "--per", per,
                                                              "--out", cli_out.string()});
      Database db(lesson);
      const auto app_out = dir / (std::string("app-") + format + per);
      const TaskReport r = export_gradebook_task(db, {1}, *gradebook_from_name(format),
                                                 std::string(per) == "ask" ? AssignmentPer::Ask : AssignmentPer::Session, app_out);
      EXPECT_EQ(r.ok(), cli.exit_code == 0) << format << " " << cli.all() << r.error;
      if (!r.ok()) {
        EXPECT_EQ("cardpoll export: " + r.error, lines_of(cli.err).at(0));
        continue;
      }
      std::string expected = lines_of(cli.err).at(0);
      expected.replace(expected.find(cli_out.string()), cli_out.string().size(), app_out.string());
      EXPECT_EQ(r.summary, expected);
      EXPECT_EQ(test_support::read_text(app_out), test_support::read_text(cli_out)) << format << per;
      ++written;
    }
  EXPECT_GE(written, 2);
}

// The lessons of some days (`cardpoll export --class --from --to`, the app's gradebook of "the
// lessons from ... to ..."): by local day, both days included, oldest first, only the class's
// own; a date that is not one, an end before the start, or days without a lesson are refused
// in words, and the CLI takes the same lessons.
TEST(TeacherTasks, TheLessonsOfSomeDaysAreThoseTheCliTakes) {
  test_support::TempDir dir;
  const auto file = dir / "days.db";
  std::vector<Id> on_day;  // lessons at 09:00 on March 2, 3, 4 and at 23:30 on March 4
  {
    Database db(file);
    const ClassInfo k = create_class(db, "P3");
    const ClassInfo other = create_class(db, "P4");
    const QuestionSet set = create_question_set(db, "Check");
    for (const char* when : {"2026-03-03 09:00", "2026-03-02 09:00", "2026-03-04 23:30", "2026-03-04 09:00"})
      on_day.push_back(start_session(db, k.id, set.id, *parse_local_time(when)).id);
    start_session(db, other.id, set.id, *parse_local_time("2026-03-03 10:00"));
    auto ids = [&](const std::string& from, const std::string& to) {
      std::vector<Id> out;
      for (const Session& x : sessions_on_days(db, k.id, from, to)) out.push_back(x.id);
      return out;
    };
    EXPECT_EQ(ids("2026-03-03", "2026-03-04"), (std::vector<Id>{on_day[0], on_day[3], on_day[2]}));
    EXPECT_EQ(ids("2026-03-02", "2026-03-02"), (std::vector<Id>{on_day[1]}));
    auto refusal = [&](const std::string& from, const std::string& to) {
      try {
        sessions_on_days(db, k.id, from, to);
      } catch (const std::runtime_error& e) {
        return std::string(e.what());
      }
      return std::string("not refused");
    };
    EXPECT_EQ(refusal("2026-13-01", "2026-03-04"), "\"2026-13-01\" is not a date like 2026-03-04 (year-month-day)");
    EXPECT_EQ(refusal("2026-03-04", "4 March"), "\"4 March\" is not a date like 2026-03-04 (year-month-day)");
    EXPECT_EQ(refusal("2026-03-04", "2026-03-02"), "the last day, 2026-03-02, is before the first, 2026-03-04");
    EXPECT_EQ(refusal("2026-03-05", "2026-03-09"),
              "the class has no lesson from 2026-03-05 to 2026-03-09 (see cardpoll session list)");
  }
  // The CLI: the same three lessons, as columns of one gradebook; the same refusal.
  const auto cli = test_support::run_cardpoll_on(file, {"export", "--class", "P3", "--from", "2026-03-03", "--to", "2026-03-04",
                                                        "--format", "canvas", "--out", (dir / "cli.csv").string()});
  Database db(file);
  const TaskReport app = export_gradebook_task(db, {on_day[0], on_day[3], on_day[2]}, Gradebook::Canvas,
                                               AssignmentPer::Session, dir / "app.csv");
  EXPECT_EQ(cli.exit_code == 0, app.ok()) << cli.all() << app.error;
  if (app.ok()) EXPECT_EQ(test_support::read_text(dir / "cli.csv"), test_support::read_text(dir / "app.csv"));
  else EXPECT_EQ(lines_of(cli.err).at(0), "cardpoll export: " + app.error);
  const auto none = test_support::run_cardpoll_on(file, {"export", "--class", "P3", "--from", "2026-03-05", "--to", "2026-03-09",
                                                         "--format", "canvas", "--out", (dir / "none.csv").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(lines_of(none.err).at(0),
            "cardpoll export: the class has no lesson from 2026-03-05 to 2026-03-09 (see cardpoll session list)");
  EXPECT_FALSE(std::filesystem::exists(dir / "none.csv"));
  const auto bad = test_support::run_cardpoll_on(file, {"export", "--class", "P3", "--from", "2026-3-5", "--format", "canvas",
                                                        "--out", (dir / "bad.csv").string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.all();
}

// The day the clocks go back is 25 hours long: a lesson at 23:30 that evening is still on that
// day. (Adding 24 h to its midnight, as `export --to` once did, ended the day at 23:00.)
TEST(TeacherTasks, ADayIsTheCalendarsDayWhenTheClocksChange) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) GTEST_SKIP() << "no time zone data (tzdata)";
  const char* tz = std::getenv("TZ");
  const std::string old_tz = tz ? tz : "";
  setenv("TZ", "Europe/Berlin", 1);  // summer time ends on 2026-10-25 at 03:00
  tzset();
  test_support::TempDir dir;
  Database db(dir / "dst.db");
  const ClassInfo k = create_class(db, "P3");
  const QuestionSet set = create_question_set(db, "Check");
  const Id late = start_session(db, k.id, set.id, *parse_local_time("2026-10-25 23:30")).id;
  start_session(db, k.id, set.id, *parse_local_time("2026-10-26 00:30"));
  std::vector<Id> got;
  for (const Session& x : sessions_on_days(db, k.id, "2026-10-25", "2026-10-25")) got.push_back(x.id);
  EXPECT_EQ(got, std::vector<Id>{late});
  if (tz) setenv("TZ", old_tz.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

namespace {

uint32_t png_crc(const std::string& bytes) {
  uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return c ^ 0xffffffffu;
}

std::string png_chunk(const std::string& type, const std::string& data) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  return be32(static_cast<uint32_t>(data.size())) + type + data + be32(png_crc(type + data));
}

}  // namespace

// libpng's warnings (here about a broken iCCP colour profile, as photos from some phones and
// editors carry) do not reach the terminal: the reads are those of the same picture without it.
TEST(QuietLibraries, APngWithABrokenColourProfileScansWithoutLibpngWarnings) {
  test_support::TempDir dir;
  const auto original = std::filesystem::path(CARDPOLL_TEST_DATA) / "scanner" / "placed_answers.png";
  const std::string png = test_support::read_text(original);
  const size_t after_ihdr = 8 + 4 + 4 + 13 + 4;
  const std::string bad = png.substr(0, after_ihdr) + png_chunk("iCCP", std::string("bogus\0\0", 7) + "xx") +
                          png_chunk("tEXt", std::string("\0bad keyword", 12)) + png.substr(after_ihdr);
  std::ofstream(dir / "profile.png", std::ios::binary) << bad;
  const auto quiet = test_support::run_cardpoll({"scan", (dir / "profile.png").string()});
  const auto plain = test_support::run_cardpoll({"scan", original.string()});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.all();
  EXPECT_EQ(quiet.err.find("libpng"), std::string::npos) << quiet.err;
  auto reads = [](const std::string& out) {  // "FILE: 8 cards  1 A ... (3.2 ms)" -> "8 cards  1 A ..."
    const auto a = out.find(": "), b = out.rfind(" (");
    return out.substr(a + 2, b - a - 2);
  };
  EXPECT_EQ(reads(quiet.out), reads(plain.out));
}
