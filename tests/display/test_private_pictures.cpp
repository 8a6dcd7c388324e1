// Issue 16: "--snapshot pictures (camera frames with students' names) are created
// world-readable". Every PNG cardpoll writes (snapshots, screenshots) goes through
// write_png, which writes through core/store/atomic_file.h: 0600 whatever the umask, and a link or
// a device at the picture's name is refused, never followed or replaced.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "display/offscreen.h"

namespace fs = std::filesystem;

namespace {

struct Dir {
  fs::path path = fs::temp_directory_path() / ("cardpoll-private-pictures-" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

cardpoll::display::Image small_picture() {
  cardpoll::display::Image img;
  img.width = 4;
  img.height = 3;
  img.argb.assign(12, 0xff336699u);
  return img;
}

}  // namespace

TEST(PrivatePictures, ASnapshotIsReadableByItsOwnerOnlyWhateverTheUmask) {
  Dir d;
  const fs::path png = d.path / "ask1-projector.png";
  const mode_t old_mask = ::umask(022);  // the usual umask: a plain fopen gives 0644
  cardpoll::display::write_png(small_picture(), png);
  ::umask(old_mask);
  struct stat st {};
  ASSERT_EQ(::stat(png.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(PrivatePictures, ALinkAtThePicturesNameIsRefusedAndNotFollowed) {
  Dir d;
  const fs::path victim = d.path / "someone-elses-file";
  std::ofstream(victim) << "precious";
  const fs::path png = d.path / "end-teacher.png";
  fs::create_symlink(victim, png);
  EXPECT_THROW(cardpoll::display::write_png(small_picture(), png), std::runtime_error);
  std::ifstream in(victim);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "precious");
  EXPECT_TRUE(fs::is_symlink(png));
}
