// The app driven as a teacher drives it: SDL events (mouse moves and clicks at the widgets'
// drawn positions, typed text, keys, a file dropped on the window) into a real window under a
// virtual display (ctest runs this room under xvfb-run), then the database, the files written
// and the pixels of the screen regions checked. Skipped, saying so, when there is no display.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/store/collector.h"
#include "core/exchange/export.h"
#include "core/store/settings.h"
#include "core/store/storage.h"
#include "tests/app_ui/app_driver.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
namespace fs = std::filesystem;
namespace test_support = cardpoll::test_support;

using namespace cardpoll::test_support;

TEST(AppWindow, MakeAClassDropARosterEditAStudentPrintCards) {
  test_support::TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  const display::Image empty = d->shot();
  const ui::Rect list = d->at("classes.list");

  d->click("classes.new_name");
  d->type("Period 3");
  d->click("classes.create");
  const auto k = find_class(d->s.db, "Period 3");
  ASSERT_TRUE(k) << d->s.classes.report.error;
  const display::Image made = d->shot();
  EXPECT_NE(region(empty, list), region(made, list)) << "the class list did not change";

  // A roster with a repeated name: stored, with the warning the CLI prints.
  std::ofstream(dir / "period3.csv") << "name,card,tags\nAna Garcia,1,el\nBen Okafor,2,\nAna Garcia,3,iep\n";
  d->drop(dir / "period3.csv");
  EXPECT_TRUE(d->s.classes.pending_drop);  // a class is chosen: into it, or a new class?
  d->click("classes.drop_into");
  ASSERT_EQ(list_students(d->s.db, k->id).size(), 3u) << d->s.classes.report.error;
  const auto cli = test_support::run_cardpoll({"--db", (dir / "cli.db").string(), "class", "import", "--class",
                                               "Period 3", (dir / "period3.csv").string()});
  std::vector<std::string> cli_warnings;
  std::istringstream err(cli.err);
  for (std::string l; std::getline(err, l);) cli_warnings.push_back(l);
  ASSERT_FALSE(cli_warnings.empty());
  EXPECT_EQ(d->s.classes.report.warnings, cli_warnings);
  EXPECT_EQ(d->s.classes.report.summary, "updated class \"Period 3\" (deck classroom): 3 added, 0 updated, 0 unchanged");
  const display::Image listed = d->shot();
  EXPECT_GE(colours(listed, d->at("classes.roster")), 8u) << "the roster shows no names";
  EXPECT_GE(colours(listed, d->at("classes.report")), 4u) << "the import's words are not shown";
  display::write_png(listed, dir / "classes.png");

  // A name edited in place: click into it, go to its end, type, Enter.
  d->click("classes.first_name");
  d->key(SDL_SCANCODE_END);
  d->type(" R.");
  d->key(SDL_SCANCODE_RETURN);
  EXPECT_EQ(find_student_by_card(d->s.db, k->id, 1)->display_name, "Ana Garcia R.") << d->s.classes.report.error;

  // Cards to a PDF through the file chooser (its suggested name, in the last folder).
  d->click("classes.print");
  d->click("chooser.ok");
  const fs::path pdf = dir / "cards-Period-3.pdf";
  ASSERT_TRUE(fs::exists(pdf)) << d->s.classes.report.error << d->s.chooser.error;
  EXPECT_EQ(d->s.classes.report.summary, "wrote 3 classroom cards on 3 pages to " + pdf.string());
}

TEST(AppWindow, ImportAndEditQuestionsThenExportASession) {
  test_support::TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->click("nav.questions");
  d->click("questions.new_name");
  d->type("Fractions");
  d->click("questions.create");
  ASSERT_TRUE(find_question_set(d->s.db, "Fractions")) << d->s.questions.report.error;
  // Import through the chooser, typing the file's whole path.
  const fs::path gift = fs::path(CARDPOLL_TEST_DATA) / "import" / "questions.gift";
  d->click("questions.import");
  d->click("chooser.name");
  d->type(gift.string());
  d->click("chooser.ok");
  const QuestionSet set = *find_question_set(d->s.db, "Fractions");
  ASSERT_GE(set.questions.size(), 2u) << d->s.questions.report.error;
  EXPECT_NE(d->s.questions.report.summary.find("added to question set \"Fractions\""), std::string::npos);
  // Edit question 1's text in place and save it; then move it down.
  const std::string before = set.questions[0].text;
  d->click("questions.text.1");
  d->key(SDL_SCANCODE_END);
  d->type(" (again)");
  d->click("questions.save.1");
  EXPECT_EQ(find_question(d->s.db, set.questions[0].id)->text, before + " (again)") << d->s.questions.report.error;
  d->click("questions.down.1");
  EXPECT_EQ(find_question(d->s.db, set.questions[0].id)->position, 2);
  // The set's QR command cards, through the chooser.
  d->s.last_folder = dir.path;
  d->click("questions.commands");
  d->click("chooser.ok");
  EXPECT_TRUE(fs::exists(dir / "commands-Fractions.pdf")) << d->s.questions.report.error << d->s.chooser.error;
  EXPECT_EQ(d->s.questions.report.summary.rfind("wrote ", 0), 0u);

  // A lesson's answers (through the collector, as the live view stores them), then Results.
  std::ofstream(dir / "r.csv") << "name,card\nAna,1\nBen,2\n";
  ASSERT_TRUE(import_roster_task(d->s.db, dir / "r.csv", {"P3", "", false}).ok());
  const Session sess = start_session(d->s.db, find_class(d->s.db, "P3")->id, set.id, now_ms());
  {
    Collector c(d->s.db, sess.id);
    c.ask_position(1, now_ms());
    c.record(1, Answer::B, now_ms());
    c.record(2, Answer::A, now_ms());
  }
  ++d->s.data_version;
  d->click("nav.results");
  const display::Image results = d->shot();
  EXPECT_GE(colours(results, d->at("results.title")), 4u);
  EXPECT_GE(colours(results, d->at("results.ask.1")), 4u);
  display::write_png(results, dir / "results.png");
  d->s.last_folder = dir.path;  // the chooser opens where the last file was chosen: the gift's folder
  d->click("results.export");
  d->click("chooser.ok");
  const fs::path out = dir / ("p3-session-" + std::to_string(sess.id) + "-responses.csv");
  ASSERT_TRUE(fs::exists(out)) << d->s.results.report.error << d->s.chooser.error;
  EXPECT_EQ(test_support::read_text(out), export_session(load_session_data(d->s.db, sess.id), ExportFormat::Responses));
  EXPECT_EQ(d->s.results.report.summary.rfind("wrote " + out.string(), 0), 0u);
}

TEST(AppWindow, SettingsChooseTheDeckAndTheDatabase) {
  test_support::TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->key(SDL_SCANCODE_5, KMOD_LCTRL);  // Ctrl+5: Settings
  ASSERT_EQ(d->s.screen, ui::Screen::Settings);
  d->click("settings.deck");
  d->click("settings.deck.large");
  // A new database: select the path typed there, type another.
  d->click("settings.database");
  d->key(SDL_SCANCODE_A, KMOD_LCTRL);
  d->type((dir / "school.db").string());
  d->click("settings.save");
  ASSERT_EQ(d->s.settings_ui.report.error, "");
  EXPECT_EQ(d->s.db.path(), dir / "school.db");
  EXPECT_TRUE(fs::exists(dir / "school.db"));
  const Settings saved = load_settings(dir / "settings.conf");
  EXPECT_EQ(saved.deck, "large");
  EXPECT_EQ(saved.database, (dir / "school.db").string());
  // New classes take that deck.
  d->key(SDL_SCANCODE_1, KMOD_LCTRL);
  d->click("classes.new_name");
  d->type("P5");
  d->click("classes.create");
  ASSERT_TRUE(find_class(d->s.db, "P5"));
  EXPECT_EQ(find_class(d->s.db, "P5")->deck, "large");
  // A lens profile that is not there is refused, and nothing is saved.
  d->key(SDL_SCANCODE_5, KMOD_LCTRL);
  d->click("settings.profile");
  d->type("/no/such/profile.yml");
  d->click("settings.save");
  EXPECT_NE(d->s.settings_ui.report.error.find("no such file"), std::string::npos);
  EXPECT_EQ(load_settings(dir / "settings.conf").camera_profile, "");
}

TEST(AppWindow, ScreenshotOptionWritesThePictureOfTheWindow) {
  test_support::TempDir dir;
  {
    OPEN_OR_SKIP(d, dir.path);  // only to know there is a display
  }
  const std::string line = "env XDG_CONFIG_HOME=" + test_support::shell_quote((dir / "cfg").string()) + " " +
                           test_support::shell_quote(CARDPOLL_EXE) + " --db " +
                           test_support::shell_quote((dir / "s.db").string()) + " app --screen settings --quit-after 1" +
                           " --screenshot " + test_support::shell_quote((dir / "s.png").string()) + " >/dev/null";
  ASSERT_EQ(std::system(line.c_str()), 0);
  const std::string png = test_support::read_text(dir / "s.png");
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<uint8_t>(png[at])) << 24) | (static_cast<uint8_t>(png[at + 1]) << 16) |
           (static_cast<uint8_t>(png[at + 2]) << 8) | static_cast<uint8_t>(png[at + 3]);
  };
  EXPECT_EQ(be32(16), 1280u);
  EXPECT_EQ(be32(20), 800u);
}
