// What the app's screens do that is not drawing: the file chooser's listing and choosing,
// imports named after the file, dropped files, printing a class's cards, question edits.
#include <gtest/gtest.h>

#include <fstream>

#include "core/store/storage.h"
#include "display/app/app_tasks.h"
#include "display/app/file_chooser.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using namespace cardpoll::ui;
namespace fs = std::filesystem;

namespace {
const fs::path kData = fs::path(CARDPOLL_TEST_DATA) / "import";

void touch(const fs::path& p, const std::string& text = "x") { std::ofstream(p) << text; }
}  // namespace

TEST(FileChooser, ListsFoldersFirstThenTheWantedFilesByName) {
  test_support::TempDir dir;
  fs::create_directories(dir / "Zeta");
  fs::create_directories(dir / "alpha");
  fs::create_directories(dir / ".hidden");
  for (const char* f : {"b.CSV", "a.csv", "notes.pdf", ".secret.csv", "c.gift"}) touch(dir / f);
  const auto entries = list_folder(dir.path, {".csv", ".gift"});
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back((e.folder ? "/" : "") + e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"/alpha", "/Zeta", "a.csv", "b.CSV", "c.gift"}));
  EXPECT_EQ(list_folder(dir.path, {}).size(), 6u);
  EXPECT_THROW(list_folder(dir / "missing", {}), std::runtime_error);
}

TEST(FileChooser, ChoosesAnExistingFileToOpenAndANewOneToSave) {
  test_support::TempDir dir;
  fs::create_directories(dir / "sub");
  touch(dir / "roster.csv");
  AppState s;
  s.last_folder = dir.path;
  open_chooser(s, "roster", "Import", false, {".csv"});
  EXPECT_EQ(s.chooser.folder, dir.path);
  s.chooser.name = "missing.csv";
  EXPECT_FALSE(accept_chooser(s));
  EXPECT_NE(s.chooser.error.find("no such file"), std::string::npos);
  s.chooser.name = "sub";  // a folder: go there
  EXPECT_FALSE(accept_chooser(s));
  EXPECT_EQ(s.chooser.folder.filename(), "sub");
  s.chooser.name = (dir / "roster.csv").string();  // a whole path
  EXPECT_TRUE(accept_chooser(s));
  EXPECT_FALSE(take_chosen(s, "export"));  // another screen's purpose
  EXPECT_EQ(take_chosen(s, "roster"), dir / "roster.csv");
  EXPECT_FALSE(take_chosen(s, "roster"));  // once
  open_chooser(s, "export", "Export", true, {".csv"}, "out");
  EXPECT_TRUE(accept_chooser(s));
  EXPECT_EQ(take_chosen(s, "export"), dir / "out.csv");  // the extension added
  open_chooser(s, "export", "Export", true, {".csv"}, "nofolder/out.csv");
  EXPECT_FALSE(accept_chooser(s));
  EXPECT_NE(s.chooser.error.find("no such folder"), std::string::npos);
  EXPECT_EQ(resolve_typed_path("/a", "b.csv"), fs::path("/a/b.csv"));
  EXPECT_EQ(resolve_typed_path("/a", "/c/b.csv"), fs::path("/c/b.csv"));
}

TEST(AppTasks, ADroppedRosterMakesAClassNamedAfterTheFile) {
  test_support::TempDir dir;
  AppState s;
  s.db = Database(dir / "a.db");
  s.settings.deck = "large";
  fs::copy_file(kData / "roster_basic.csv", dir / "Period 3.csv");
  s.screen = Screen::Classes;
  const TaskReport r = handle_dropped_file(s, dir / "Period 3.csv");
  ASSERT_TRUE(r.ok()) << r.error;
  const auto k = find_class(s.db, "Period 3");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->deck, "large");
  EXPECT_EQ(s.classes.selected, k->id);
  EXPECT_EQ(s.classes.report.summary, r.summary);
  // Dropped while a class is chosen: nothing yet, the screen asks where it goes.
  const auto before = list_students(s.db, k->id).size();
  EXPECT_TRUE(handle_dropped_file(s, kData / "roster_school_export.csv").ok());
  EXPECT_EQ(s.classes.pending_drop, kData / "roster_school_export.csv");
  EXPECT_EQ(list_students(s.db, k->id).size(), before);
  // Into the chosen class: merged into it, not a second class.
  EXPECT_TRUE(import_roster_for_ui(s, *s.classes.pending_drop, true).ok());  // the pending path itself
  EXPECT_FALSE(s.classes.pending_drop);
  EXPECT_EQ(list_classes(s.db).size(), 1u);
  EXPECT_GT(list_students(s.db, k->id).size(), before);
  // Or as a class of its own, named after the file.
  EXPECT_TRUE(import_roster_for_ui(s, kData / "roster_basic.csv", false).ok());
  EXPECT_TRUE(find_class(s.db, "roster_basic"));
  EXPECT_EQ(s.classes.selected, find_class(s.db, "roster_basic")->id);
  // On a screen that takes no files: said, nothing stored.
  s.screen = Screen::Results;
  EXPECT_NE(handle_dropped_file(s, kData / "questions.gift").error.find("drop a roster on the Classes screen"),
            std::string::npos);
  EXPECT_TRUE(list_question_sets(s.db).empty());
  s.screen = Screen::Questions;
  EXPECT_TRUE(handle_dropped_file(s, kData / "questions.gift").ok());
  ASSERT_EQ(list_question_sets(s.db).size(), 1u);
  EXPECT_EQ(list_question_sets(s.db)[0].set.name, "questions");
  // The next drop asks; into the chosen set it is added after its questions.
  const int gift_questions = list_question_sets(s.db)[0].questions;
  EXPECT_TRUE(handle_dropped_file(s, kData / "questions_basic.csv").ok());
  EXPECT_TRUE(s.questions.pending_drop);
  EXPECT_EQ(list_question_sets(s.db)[0].questions, gift_questions);  // not yet
  EXPECT_TRUE(import_questions_for_ui(s, *s.questions.pending_drop, true).ok());
  EXPECT_EQ(list_question_sets(s.db).size(), 1u);
  EXPECT_GT(list_question_sets(s.db)[0].questions, gift_questions);
}

TEST(AppTasks, PrintsTheCardsOfAClassWithTheirNames) {
  test_support::TempDir dir;
  Database db(dir / "a.db");
  const ClassInfo k = create_class(db, "Empty");
  EXPECT_NE(print_class_cards(db, k.id, dir / "e.pdf", false, 1).error.find("no student with a card"), std::string::npos);
  ASSERT_TRUE(import_roster_task(db, kData / "roster_basic.csv", {"P3", "", false}).ok());
  const Id p3 = find_class(db, "P3")->id;
  const size_t n = list_students(db, p3).size();
  const TaskReport r = print_class_cards(db, p3, dir / "cards.pdf", true, 4);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.summary, "wrote " + std::to_string(n) + " classroom cards on " + std::to_string((n + 3) / 4) +
                           " pages to " + (dir / "cards.pdf").string());
  EXPECT_EQ(test_support::read_text(dir / "cards.pdf").substr(0, 5), "%PDF-");
  EXPECT_FALSE(print_class_cards(db, p3, dir / "no" / "cards.pdf", false, 1).ok());
}

TEST(AppTasks, PrintsTheCommandCardsAsTheCliDoes) {
  test_support::TempDir dir;
  const TaskReport r = print_command_cards(dir / "c.pdf", 3, false);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto cli = test_support::run_cardpoll({"cards", "--commands", "--questions", "3", "--out", (dir / "cli.pdf").string()});
  ASSERT_EQ(cli.exit_code, 0);
  std::string expected = cli.out.substr(0, cli.out.find('\n'));
  expected.replace(expected.find((dir / "cli.pdf").string()), (dir / "cli.pdf").string().size(), (dir / "c.pdf").string());
  EXPECT_EQ(r.summary, expected);
  EXPECT_EQ(test_support::read_text(dir / "c.pdf").substr(0, 5), "%PDF-");
  EXPECT_FALSE(print_command_cards(dir / "no" / "c.pdf", 3, false).ok());
}

TEST(AppTasks, QuestionEditsBecomeQuestions) {
  Question base;
  base.id = 5;
  base.position = 2;
  QuestionEdit e{"Is 3/4 > 2/3?", "Fractions.Compare; x", {"True", "False"}, 0, 0};
  Question q = question_of_edit(e, base);
  EXPECT_EQ(q.id, 5);
  EXPECT_TRUE(q.true_false);
  EXPECT_EQ(q.correct, Answer::A);
  EXPECT_EQ(q.skills, (std::vector<std::string>{"fractions.compare", "x"}));
  e.choices = {"a", "b", "", " "};
  e.correct = -1;
  q = question_of_edit(e, base);
  EXPECT_EQ(q.choices, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(q.correct);
  EXPECT_FALSE(q.true_false);
  const QuestionEdit back = edit_of(q, 3);
  EXPECT_EQ(back.correct, -1);
  EXPECT_EQ(back.asked, 3);
  EXPECT_EQ(back.skills, "fractions.compare, x");
}

TEST(AppTasks, SwitchingToABadDatabaseKeepsTheOldOne) {
  test_support::TempDir dir;
  AppState s;
  s.db = Database(dir / "a.db");
  touch(dir / "not-a-db.db", std::string(4096, 'x'));
  const TaskReport bad = switch_database(s, dir / "not-a-db.db");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(s.db.path(), dir / "a.db");
  const int v = s.data_version;
  EXPECT_TRUE(switch_database(s, dir / "b.db").ok());
  EXPECT_EQ(s.db.path(), dir / "b.db");
  EXPECT_GT(s.data_version, v);
}

TEST(AppTasks, ExportFileNamesSayClassSessionAndFormat) {
  SessionSummary s;
  s.session.id = 12;
  s.class_name = "Period 3 / Maths";
  const auto choices = export_choices();
  ASSERT_EQ(choices.size(), 8u);  // every format `cardpoll export --format` takes
  EXPECT_EQ(export_file_name(s, choices[0]), "period-3-maths-session-12-responses.csv");
  EXPECT_EQ(export_file_name(s, choices[3]), "period-3-maths-session-12-html.html");
  EXPECT_EQ(export_file_name(s, choices[4]), "period-3-maths-session-12-canvas.csv");
  EXPECT_EQ(export_file_name(s, choices[7]), "period-3-maths-session-12-powerschool.txt");
  for (const auto& c : choices) EXPECT_TRUE(export_format_from_name(c.name) || gradebook_from_name(c.name)) << c.name;
  EXPECT_EQ(screen_from_name("results"), Screen::Results);
  EXPECT_FALSE(screen_from_name("grades"));
}
