// Frame sources: folder order, bad files named, video end and frame times.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "scanner/frame_source.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

// A grey image whose brightness says which one it is.
cv::Mat numbered(int n, cv::Size size = {32, 24}) {
  return cv::Mat(size, CV_8UC1, cv::Scalar(10 * n));
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::vector<Frame> read_all(FrameSource& s, std::vector<std::string>* failures = nullptr) {
  std::vector<Frame> out;
  for (int guard = 0; guard < 10000; ++guard) {
    Frame f;
    const SourceRead r = s.read(f);
    if (r.status == SourceStatus::Ended) break;
    if (r.status == SourceStatus::Failed) {
      if (failures) failures->push_back(r.message);
      continue;
    }
    out.push_back(f);
  }
  return out;
}

TEST(FrameSource, NaturalOrder) {
  EXPECT_TRUE(natural_less("f2.png", "f10.png"));
  EXPECT_FALSE(natural_less("f10.png", "f2.png"));
  EXPECT_TRUE(natural_less("a.png", "b.png"));
  EXPECT_TRUE(natural_less("img9", "img010"));
  EXPECT_TRUE(natural_less("x", "x1"));
  EXPECT_FALSE(natural_less("same", "same"));
}

TEST(FrameSource, FolderInNaturalOrderSkippingOtherFiles) {
  TempDir d;
  for (int n : {10, 2, 1, 33}) cv::imwrite((d.path / ("f" + std::to_string(n) + ".png")).string(), numbered(n % 20));
  write_text(d.path / "f1.txt", "expected result, not an image");
  fs::create_directory(d.path / "sub.png");  // a folder with an image's name: skipped
  FrameSource s = open_source(d.path.string());
  EXPECT_EQ(s.kind, SourceKind::Folder);
  EXPECT_EQ(s.frame_count, 4);
  const auto frames = read_all(s);
  ASSERT_EQ(frames.size(), 4u);
  const char* order[] = {"f1.png", "f2.png", "f10.png", "f33.png"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(fs::path(frames[i].source).filename(), order[i]);
    EXPECT_EQ(frames[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(frames[i].gray.type(), CV_8UC1);
  }
  EXPECT_EQ(frames[2].gray.at<uint8_t>(0, 0), 100);  // f10
  EXPECT_LT(frames[0].time_ms, frames[3].time_ms);
}

TEST(FrameSource, FolderNamesTheBadImageAndGoesOn) {
  TempDir d;
  cv::imwrite((d.path / "a1.png").string(), numbered(1));
  write_text(d.path / "a2.png", "this is not a png");
  cv::imwrite((d.path / "a3.jpg").string(), numbered(3));
  FrameSource s = open_folder(d.path);
  std::vector<std::string> failures;
  const auto frames = read_all(s, &failures);
  ASSERT_EQ(frames.size(), 2u);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].find("a2.png"), std::string::npos) << failures[0];
  EXPECT_EQ(fs::path(frames[1].source).filename(), "a3.jpg");
}

// A PNG whose header claims 40000 x 40000 pixels (1.6e9 > OpenCV's limit of 2^30): imread
// throws instead of returning an empty image. Before issue 16 that exception ended the
// folder source, so the valid images after it were never read.
void write_huge_header_png(const fs::path& p) {
  auto crc32 = [](const std::string& bytes) {
    uint32_t c = 0xffffffffu;
    for (unsigned char b : bytes) {
      c ^= b;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffffu;
  };
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  const std::string ihdr = "IHDR" + be32(40000) + be32(40000) + std::string("\x08\x00\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1a\n";
  png += be32(13) + ihdr + be32(crc32(ihdr));
  // An IDAT chunk (an empty zlib stream) so libpng accepts the header and OpenCV gets as far
  // as checking the size.
  const std::string idat = "IDAT" + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  png += be32(8) + idat + be32(crc32(idat));
  png += be32(0) + "IEND" + be32(crc32("IEND"));
  write_text(p, png);
}

TEST(FrameSource, AnImageTooLargeToDecodeIsSkippedAndTheFolderGoesOn) {
  TempDir d;
  cv::imwrite((d.path / "b1.png").string(), numbered(1));
  write_huge_header_png(d.path / "b2.png");
  cv::imwrite((d.path / "b3.png").string(), numbered(3));
  FrameSource s = open_folder(d.path);
  std::vector<std::string> failures;
  std::vector<Frame> frames;
  ASSERT_NO_THROW(frames = read_all(s, &failures));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(fs::path(frames[1].source).filename(), "b3.png");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].find("b2.png"), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find("too large"), std::string::npos) << failures[0];
}

TEST(FrameSource, ASingleImageTooLargeToDecodeIsAnErrorNamingIt) {
  TempDir d;
  write_huge_header_png(d.path / "huge.png");
  try {
    open_source((d.path / "huge.png").string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("huge.png"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
}

TEST(FrameSource, EmptyFolderIsAnError) {
  TempDir d;
  write_text(d.path / "notes.txt", "x");
  try {
    open_source(d.path.string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(d.path.string()), std::string::npos) << e.what();
  }
}

TEST(FrameSource, CorruptImageIsNamed) {
  TempDir d;
  const fs::path bad = d.path / "broken.jpg";
  write_text(bad, std::string("\xff\xd8\xff\xe0 truncated", 14));
  try {
    open_source(bad.string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.jpg"), std::string::npos) << e.what();
  }
}

TEST(FrameSource, MissingFileIsNamed) {
  try {
    open_source("/nonexistent/cardpoll/clip.mp4");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cardpoll/clip.mp4"), std::string::npos);
  }
}

TEST(FrameSource, SingleImageOnceThenEnded) {
  TempDir d;
  cv::Mat colour(20, 30, CV_8UC3, cv::Scalar(0, 0, 255));
  const fs::path p = d.path / "one.png";
  cv::imwrite(p.string(), colour);
  FrameSource s = open_source(p.string(), {.keep_colour = true});
  EXPECT_EQ(s.kind, SourceKind::Image);
  EXPECT_EQ(s.size, cv::Size(30, 20));
  Frame f;
  ASSERT_EQ(s.read(f).status, SourceStatus::Frame);
  EXPECT_EQ(f.gray.type(), CV_8UC1);
  EXPECT_EQ(f.colour.type(), CV_8UC3);
  EXPECT_EQ(f.source, p.string());
  EXPECT_EQ(s.read(f).status, SourceStatus::Ended);
  EXPECT_EQ(s.read(f).status, SourceStatus::Ended);
}

TEST(FrameSource, VideoFramesCarryTheirPositionThenEnd) {
  TempDir d;
  const fs::path p = d.path / "clip.avi";
  {
    cv::VideoWriter w(p.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, {64, 48});
    ASSERT_TRUE(w.isOpened());
    for (int i = 0; i < 12; ++i) {
      cv::Mat bgr;
      cv::cvtColor(numbered(i, {64, 48}), bgr, cv::COLOR_GRAY2BGR);
      w.write(bgr);
    }
  }
  FrameSource s = open_source(p.string());
  EXPECT_EQ(s.kind, SourceKind::Video);
  EXPECT_FALSE(s.live);
  EXPECT_NEAR(s.fps, 10, 0.01);
  std::vector<std::string> failures;
  const auto frames = read_all(s, &failures);
  EXPECT_TRUE(failures.empty());
  ASSERT_EQ(frames.size(), 12u);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(frames[i].time_ms, static_cast<int64_t>(i) * 100);  // reproducible, not wall time
    EXPECT_NEAR(frames[i].gray.at<uint8_t>(24, 32), 10 * static_cast<int>(i), 3);
  }
  // Reading again: the same frames at the same times.
  FrameSource again = open_source(p.string());
  const auto frames2 = read_all(again);
  ASSERT_EQ(frames2.size(), frames.size());
  EXPECT_EQ(frames2.back().time_ms, frames.back().time_ms);
}

TEST(FrameSource, NotAVideoIsNamed) {
  TempDir d;
  const fs::path p = d.path / "lecture.mp4";
  std::mt19937 rng(1);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  write_text(p, junk);
  try {
    open_source(p.string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("lecture.mp4"), std::string::npos) << e.what();
  }
}

TEST(FrameSource, MemorySourceGivesFramesInOrder) {
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 5; ++i) frames.push_back(numbered(i));
  FrameSource s = memory_source(frames, 25);
  const auto got = read_all(s);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[4].time_ms, 160);
  EXPECT_EQ(got[3].gray.at<uint8_t>(0, 0), 30);
}

TEST(FrameSource, ImageExtensions) {
  EXPECT_TRUE(is_image_file("a/b/C.PNG"));
  EXPECT_TRUE(is_image_file("x.jpeg"));
  EXPECT_FALSE(is_image_file("x.mp4"));
  EXPECT_FALSE(is_image_file("png"));
}

}  // namespace
}  // namespace cardpoll
