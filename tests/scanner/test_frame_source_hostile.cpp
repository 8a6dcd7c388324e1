// Hostile files in a folder source (issue 16, part 3), found by fuzz_images: cv::imread picks
// its decoder by the file's content, and OpenCV 4.6's DICOM decoder (GDCM) aborts the whole
// process on a malformed file. A file whose first bytes are not those of a format the
// sources read (PNG, JPEG, BMP, TIFF, PNM, WebP) is skipped naming it; the folder goes on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "scanner/frame_source.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

struct Dir {
  fs::path path = fs::temp_directory_path() / ("cardpoll-hostile-frames-" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

// tests/fuzz/corpus/images/dicom_aborts_gdcm.png: 128 bytes of preamble, then "DICM".
std::string dicom_that_aborts_gdcm() {
  std::string s = "#?" + std::string(123, '2') + "RGB";
  s += "DICM";
  return s;
}

}  // namespace

TEST(FrameSourceHostile, AFileOfAnotherFormatIsSkippedBeforeADecoderCanAbort) {
  Dir d;
  const cv::Mat grey(48, 64, CV_8UC1, cv::Scalar(128));
  cv::imwrite((d.path / "b1.png").string(), grey);
  {
    std::ofstream out(d.path / "b2.png", std::ios::binary);
    const std::string bytes = dicom_that_aborts_gdcm();
    ASSERT_EQ(bytes.size(), 132u);
    out << bytes;
  }
  {
    // The second find (tests/fuzz/corpus/images/pnm_with_dicom_mark.png): it starts like a
    // PNM image ("P1"), DICM at byte 128, and OpenCV still chose GDCM, which aborted.
    static const char bytes[] =
      "\x50\x31\x89\x50\x4e\x47\x0d\x0a\x1a\x3a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x9c\x40\x00"
      "\xd3\x00\x9c\x40\x08\x00\x00\x00\x00\x74\x67\x51\xd9\x00\x00\x00\x08\x49\x44\x41\x54\x78\x9c\x03"
      "\x40\x46\x46\x00\x01\x48\x06\x89\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
      "\x00\x00\x9c\x40\x00\x00\x9c\x40\x08\x00\x00\x00\x00\x74\x67\x51\xd2\xff\xff\xff\xf7\x49\x45\xd9"
      "\x00\x4e\x44\x00\x2d\x08\x49\x44\x50\x30\x89\x50\x4e\x47\x0d\x52\x49\x46\x46\x00\x00\x00\x0d\x49"
      "\x48\x44\x52\x00\x00\x9c\x40\x00\x44\x49\x43\x4d\x08";
    std::ofstream out(d.path / "b4.pgm", std::ios::binary);
    out.write(bytes, sizeof bytes - 1);
    ASSERT_EQ(sizeof bytes - 1, 133u);
  }
  cv::imwrite((d.path / "b3.png").string(), grey);
  FrameSource s = open_folder(d.path);
  Frame f;
  std::vector<std::string> frames, failures;
  for (int i = 0; i < 5; ++i) {
    const SourceRead r = s.read(f);
    if (r.status == SourceStatus::Ended) break;
    if (r.status == SourceStatus::Frame) frames.push_back(fs::path(f.source).filename().string());
    if (r.status == SourceStatus::Failed) failures.push_back(r.message);
  }
  EXPECT_EQ(frames, (std::vector<std::string>{"b1.png", "b3.png"}));
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_NE(failures[0].find("b2.png"), std::string::npos) << failures[0];
  EXPECT_NE(failures[1].find("b4.pgm"), std::string::npos) << failures[1];
  for (const auto& why : failures) EXPECT_NE(why.find("not a PNG"), std::string::npos) << why;
}

TEST(FrameSourceHostile, EveryFormatTheSourcesReadStillDecodes) {
  Dir d;
  const cv::Mat grey(48, 64, CV_8UC1, cv::Scalar(77));
  for (const char* name : {"a.png", "b.jpg", "c.bmp", "d.tif", "e.pgm", "f.webp"}) {
    const fs::path p = d.path / name;
    ASSERT_TRUE(cv::imwrite(p.string(), grey)) << name;
    FrameSource s = open_image(p);
    Frame f;
    EXPECT_EQ(s.read(f).status, SourceStatus::Frame) << name;
    EXPECT_EQ(f.gray.cols, 64) << name;
  }
}
