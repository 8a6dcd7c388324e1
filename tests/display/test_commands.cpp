// QR command cards: printing them (ZXing writer) and reading their text back from a frame
// (ZXing reader, scanner/qr_reader.h). The vocabulary and the once-per-showing rule are the
// lesson room's: tests/lesson/test_commands.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "display/print/command_cards.h"
#include "lesson/command_debounce.h"
#include "scanner/qr_reader.h"

using namespace cardpoll;

TEST(Commands, PrintedCodeReadsBackFromAFrame) {
  cv::Mat frame(720, 1280, CV_8UC1, cv::Scalar(150));
  const auto a = print::qr_image("cardpoll:question/3", 6);
  const auto b = print::qr_image("cardpoll:reveal", 5);
  cv::Mat(a.side, a.side, CV_8UC1, const_cast<uint8_t*>(a.pixels.data()))
      .copyTo(frame(cv::Rect(100, 100, a.side, a.side)));
  cv::Mat qb(b.side, b.side, CV_8UC1, const_cast<uint8_t*>(b.pixels.data()));
  cv::rotate(qb, qb, cv::ROTATE_90_CLOCKWISE);  // held sideways
  qb.copyTo(frame(cv::Rect(800, 300, b.side, b.side)));
  EXPECT_EQ(read_qr_payloads(frame),
            (std::vector<std::string>{"cardpoll:question/3", "cardpoll:reveal"}));
  // Downscaled first when wider than max_width: still read.
  cv::Mat big;
  cv::resize(frame, big, cv::Size(2560, 1440), 0, 0, cv::INTER_NEAREST);
  EXPECT_EQ(read_qr_payloads(big).size(), 2u);
  EXPECT_TRUE(read_qr_payloads(cv::Mat()).empty());
  EXPECT_TRUE(read_qr_payloads(cv::Mat(5, 5, CV_8UC1)).empty());
  EXPECT_TRUE(read_qr_payloads(cv::Mat(100, 100, CV_32FC1, cv::Scalar(0.5))).empty());
}

TEST(Commands, MailboxHandsOverInFrameOrder) {
  QrMailbox m;
  m.post(100, {"cardpoll:next"});
  m.post(200, {});  // a frame with no code: checked, nothing to hand over
  m.post(300, {"cardpoll:reveal", "poster"});
  auto first = m.take_until(200);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].texts, std::vector<std::string>{"cardpoll:next"});
  EXPECT_TRUE(m.take_until(200).empty());
  EXPECT_EQ(m.take_all().front().texts.size(), 2u) << "the scanner reports every text; the lesson decides";
  EXPECT_EQ(m.checked_frames, 3);
}

TEST(Commands, SourceWrapperTagsCommandsWithTheirFrameTime) {
  std::vector<cv::Mat> frames;
  const auto q = print::qr_image("cardpoll:next", 6);
  for (int i = 0; i < 10; ++i) {
    cv::Mat f(480, 640, CV_8UC1, cv::Scalar(200));
    if (i >= 3 && i <= 6)
      cv::Mat(q.side, q.side, CV_8UC1, const_cast<uint8_t*>(q.pixels.data()))
          .copyTo(f(cv::Rect(50, 50, q.side, q.side)));
    frames.push_back(f);
  }
  auto box = std::make_shared<QrMailbox>();
  FrameSource src = with_qr_reader(memory_source(frames, 10), box);
  Frame f;
  while (src.read(f).status == SourceStatus::Frame) {
  }
  const auto got = box->take_all();
  ASSERT_EQ(got.size(), 4u);  // frames 3-6
  EXPECT_EQ(got[0].time_ms, 300);
  EXPECT_EQ(got[0].texts, std::vector<std::string>{"cardpoll:next"});
  EXPECT_EQ(box->checked_frames, 10);
  // The lesson's debounce makes the four sightings one command, at the first frame's time.
  lesson::CommandDebounce d;
  std::vector<lesson::TimedCommand> acted;
  for (const auto& g : got)
    for (auto& c : lesson::debounce_commands(d, g.texts, g.time_ms)) acted.push_back(c);
  ASSERT_EQ(acted.size(), 1u);
  EXPECT_EQ(acted[0].time_ms, 300);
}

TEST(Commands, PdfHasEveryCardAndFailsCleanly) {
  const auto dir = std::filesystem::temp_directory_path() / "cardpoll_cmdcards_test";
  std::filesystem::create_directories(dir);
  const auto pdf = dir / "commands.pdf";
  print::write_command_cards_pdf(pdf, 3, print::Paper::A4);
  std::ifstream in(pdf, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(data.rfind("%PDF", 0), 0u);
  EXPECT_NE(data.find("/Count 3"), std::string::npos) << "9 cards, four to a page";
  EXPECT_THROW(print::write_command_cards_pdf(dir / "no" / "such" / "x.pdf", 3), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "no"));
  std::filesystem::remove_all(dir);
}
