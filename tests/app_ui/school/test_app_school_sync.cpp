// The app's Settings screen pushing to the school server, driven by scripted SDL events under
// Xvfb against the real PostgreSQL of the school tests' fixture (cardpoll_postgres): the same
// functions as `cardpoll sync` (app/school_sync.h, handed to the screen as std::function), the
// password typed in the window's password field, the command's words on the screen.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/app_school.h"
#include "tests/app_ui/app_driver.h"
#include "tests/school/school_data.h"
#include "tests/school/school_support.h"

namespace cardpoll {
namespace {

namespace fs = std::filesystem;
using school_test::address;
using school_test::fresh_database;
using school_test::local_counts;
using school_test::server_counts;
using test_support::Driver;
using test_support::open_app;

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// The app on Settings with a teacher's year of lessons, wired as `cardpoll app` wires it; no
// password file, so only the field can answer the server's question.
std::unique_ptr<Driver> settings_app(const fs::path& dir) {
  auto d = open_app(dir);
  if (!d) return d;
  school_test::make_year(d->s.db, school_test::YearShape{});
  d->s.school = app::school_server_tasks();
  d->s.screen = ui::Screen::Settings;
  ::setenv("PGPASSFILE", (dir / "no-pgpass").c_str(), 1);
  d->frames(3);
  return d;
}

#define SETTINGS_OR_SKIP(d, dir)                                                                        \
  auto d = settings_app(dir);                                                                          \
  if (!d) GTEST_SKIP() << "no display for the app window (DISPLAY unset or no OpenGL 3): run under xvfb-run -a"

// Clicks `button` and draws frames until the push or status it started has ended.
void run_school(Driver& d, const std::string& button) {
  d.click(button);
  for (int i = 0; i < 1200 && d.s.school_job; ++i) {
    d.frames(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(d.s.school_job) << "the push did not end";
  d.frames(2);
}

void type_into(Driver& d, const std::string& field, const std::string& text) {
  d.click(field);
  d.type(text);
}

std::string file_text(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream b;
  b << f.rdbuf();
  return b.str();
}

TEST(AppSchoolSync, PushesWithTheTypedPasswordAndTheStatusSaysNothingWaits) {
  test_support::TempDir dir;
  SETTINGS_OR_SKIP(d, dir.path);
  const std::string name = fresh_database("teacher");
  const std::string to = address(name, "teacher");
  type_into(*d, "settings.school_address", to);
  type_into(*d, "settings.school_password", "chalk");
  ASSERT_EQ(d->s.settings_ui.school_address, to);

  run_school(*d, "settings.school_status");  // before: everything waits
  EXPECT_EQ(d->s.settings_ui.school_error, "");
  EXPECT_NE(joined(d->s.settings_ui.school_lines).find(to + ": not yet pushed: classes"), std::string::npos)
      << joined(d->s.settings_ui.school_lines);

  run_school(*d, "settings.school_push");
  const std::string pushed = joined(d->s.settings_ui.school_lines);
  EXPECT_EQ(d->s.settings_ui.school_error, "");
  EXPECT_NE(pushed.find("changes on the server"), std::string::npos) << pushed;  // the progress lines
  EXPECT_NE(pushed.find("batches to " + to + ": everything is pushed"), std::string::npos) << pushed;
  EXPECT_TRUE(d->s.widgets.count("settings.school_lines"));
  EXPECT_EQ(pushed.find("chalk"), std::string::npos) << pushed;
  Database db(d->s.db.path());
  EXPECT_EQ(server_counts(name), local_counts(db));
  EXPECT_GT(server_counts(name).at("responses"), 0);

  run_school(*d, "settings.school_status");
  EXPECT_EQ(d->s.settings_ui.school_error, "");
  EXPECT_EQ(joined(d->s.settings_ui.school_lines), to + ": everything is pushed\n");
  // The command says the same of this database.
  const auto cli = test_support::run_cardpoll({"--db", d->s.db.path().string(), "sync", "--status"});
  EXPECT_NE(cli.out.find(to + " (last push "), std::string::npos) << cli.all();
  EXPECT_NE(cli.out.find("): everything is pushed"), std::string::npos) << cli.all();

  // Saved with the settings: the address, never the password.
  d->click("settings.save");
  EXPECT_TRUE(d->s.settings_ui.report.ok()) << d->s.settings_ui.report.error;
  const std::string saved = file_text(d->s.settings_file);
  EXPECT_NE(saved.find("school-server = " + to + "\n"), std::string::npos) << saved;
  EXPECT_EQ(saved.find("chalk"), std::string::npos) << saved;
  ::unsetenv("PGPASSFILE");
}

TEST(AppSchoolSync, APasswordInTheAddressIsRefusedAsTheCommandRefusesIt) {
  test_support::TempDir dir;
  SETTINGS_OR_SKIP(d, dir.path);
  const std::string bad = "postgresql://teacher:chalk@/school?host=" + school_test::server_dir();
  type_into(*d, "settings.school_address", bad);
  run_school(*d, "settings.school_push");
  const auto cli = test_support::run_cardpoll({"--db", (dir.path / "cli.db").string(), "sync", "--to", bad});
  EXPECT_EQ(cli.exit_code, 1);
  const std::string shown = d->s.settings_ui.school_error;
  EXPECT_NE(shown.find("contains a password"), std::string::npos) << shown;
  EXPECT_EQ(cli.err, "cardpoll sync: " + shown + "\n");  // the same words
  EXPECT_TRUE(d->s.widgets.count("settings.school_error"));
  EXPECT_TRUE(d->s.settings_ui.school_lines.empty());
  // Nor is it saved.
  d->click("settings.save");
  EXPECT_NE(d->s.settings_ui.report.error.find("contains a password"), std::string::npos);
  EXPECT_EQ(file_text(d->s.settings_file).find("chalk"), std::string::npos);
  ::unsetenv("PGPASSFILE");
}

TEST(AppSchoolSync, AWrongPasswordShowsTheCommandsError) {
  test_support::TempDir dir;
  SETTINGS_OR_SKIP(d, dir.path);
  const std::string name = fresh_database("teacher");
  type_into(*d, "settings.school_address", address(name, "teacher"));
  type_into(*d, "settings.school_password", "cheese");
  run_school(*d, "settings.school_push");
  EXPECT_NE(d->s.settings_ui.school_error.find("refused the password"), std::string::npos)
      << d->s.settings_ui.school_error;
  EXPECT_EQ(d->s.settings_ui.school_error.find("cheese"), std::string::npos);
  EXPECT_EQ(school_test::server_mark(name), 0);  // nothing reached the server
  ::unsetenv("PGPASSFILE");
}

TEST(AppSchoolSync, AnUnreachableServerShowsTheCommandsError) {
  test_support::TempDir dir2;
  SETTINGS_OR_SKIP(e, dir2.path);
  const std::string nowhere = "postgresql://teacher@/school?host=" + (dir2.path / "no-server").string();
  type_into(*e, "settings.school_address", nowhere);
  run_school(*e, "settings.school_push");
  const auto cli = test_support::run_cardpoll({"--db", (dir2.path / "cli.db").string(), "sync", "--to", nowhere});
  EXPECT_NE(e->s.settings_ui.school_error.find("cannot reach the school server"), std::string::npos)
      << e->s.settings_ui.school_error;
  EXPECT_EQ(cli.err, "cardpoll sync: " + e->s.settings_ui.school_error + "\n");
  ::unsetenv("PGPASSFILE");
}

}  // namespace
}  // namespace cardpoll
