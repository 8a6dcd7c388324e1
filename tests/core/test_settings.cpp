// The settings file: read, written back, unknown keys kept, bad lines refused by line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/paths.h"
#include "core/store/settings.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;

TEST(Settings, MissingFileGivesTheDefaults) {
  test_support::TempDir dir;
  const Settings s = load_settings(dir / "none.conf");
  EXPECT_EQ(s.database, "");
  EXPECT_EQ(s.deck, "classroom");
  EXPECT_EQ(s.camera_profile, "");
  EXPECT_EQ(database_path(s), default_database_path());
}

TEST(Settings, RoundTripKeepsUnknownKeys) {
  test_support::TempDir dir;
  const auto file = dir / "sub" / "settings.conf";
  Settings s = parse_settings("# mine\n  database = /school/p3.db \ndeck=large\ncamera-profile = cam.yml\nfuture-key = 7\n\n",
                              "settings.conf");
  EXPECT_EQ(s.database, "/school/p3.db");
  EXPECT_EQ(s.deck, "large");
  EXPECT_EQ(s.camera_profile, "cam.yml");
  ASSERT_EQ(s.other.size(), 1u);
  save_settings(file, s);
  const Settings back = load_settings(file);
  EXPECT_EQ(back.database, s.database);
  EXPECT_EQ(back.deck, "large");
  EXPECT_EQ(back.camera_profile, "cam.yml");
  EXPECT_EQ(back.other, s.other);
  EXPECT_EQ(database_path(back), std::filesystem::path("/school/p3.db"));
}

TEST(Settings, BadLinesAreRefusedByLine) {
  try {
    parse_settings("deck = classroom\nthis is not a setting\n", "settings.conf");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("settings.conf:2:"), std::string::npos) << e.what();
  }
  try {
    parse_settings("deck = tiny\n", "settings.conf");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("settings.conf:1: deck tiny: no such deck"), std::string::npos) << e.what();
  }
  test_support::TempDir dir;
  Settings s;
  s.database = "a\nb";
  EXPECT_THROW(save_settings(dir / "s.conf", s), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "s.conf"));
}

// The commands use the database chosen in the app's settings when --db is not given.
TEST(Settings, TheCommandsUseTheChosenDatabase) {
  test_support::TempDir dir;
  Settings s;
  s.database = (dir / "chosen.db").string();
  save_settings(dir / "cfg" / "cardpoll" / "settings.conf", s);
  const std::string line = "env XDG_CONFIG_HOME=" + test_support::shell_quote((dir / "cfg").string()) + " " +
                           test_support::shell_quote(CARDPOLL_EXE) + " class list >/dev/null";
  ASSERT_EQ(std::system(line.c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "chosen.db"));
}
