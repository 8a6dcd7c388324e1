// QR command cards: the payload vocabulary, printing (ZXing writer) and reading them back
// from a frame (ZXing reader), and once-per-showing debouncing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "display/print/command_cards.h"
#include "scanner/command_reader.h"
#include "scanner/commands.h"

using namespace cardpoll;

TEST(Commands, PayloadsAreExactlyTheDocumentedOnes) {
  std::vector<std::string> p;
  for (const auto& c : command_card_set(2)) p.push_back(command_payload(c));
  EXPECT_EQ(p, (std::vector<std::string>{"cardpoll:next", "cardpoll:prev", "cardpoll:reveal",
                                         "cardpoll:scan/start", "cardpoll:scan/stop",
                                         "cardpoll:groups", "cardpoll:question/1",
                                         "cardpoll:question/2"}));
  for (const auto& c : command_card_set(12)) EXPECT_EQ(parse_command(command_payload(c)), c);
}

TEST(Commands, AnythingElseIsNotACommand) {
  for (const char* bad : {"", "cardpoll:", "cardpoll:Next", "cardpoll:next ", " cardpoll:next",
                          "cardpoll:question/0", "cardpoll:question/01", "cardpoll:question/",
                          "cardpoll:question/x", "cardpoll:question/-1", "cardpoll:question/1000",
                          "https://example.com", "cardpoll:scan", "cardpoll:nextt"})
    EXPECT_FALSE(parse_command(bad).has_value()) << bad;
  EXPECT_EQ(parse_command("cardpoll:question/999")->question, 999);
}

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

TEST(Commands, ActOncePerShowing) {
  CommandDebounce d;
  d.absent_ms = 1000;
  const std::vector<std::string> next{"cardpoll:next"}, none{};
  EXPECT_EQ(debounce_commands(d, next, 0).size(), 1u);
  for (int t = 100; t <= 5000; t += 100)  // held up for five seconds
    EXPECT_TRUE(debounce_commands(d, next, t).empty()) << t;
  EXPECT_TRUE(debounce_commands(d, none, 5500).empty());
  EXPECT_TRUE(debounce_commands(d, next, 5800).empty()) << "a 0.8 s dropout is the same showing";
  EXPECT_TRUE(debounce_commands(d, none, 6500).empty());
  const auto again = debounce_commands(d, next, 6900);  // lowered 1.1 s, raised again
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].command.kind, CommandKind::Next);
  EXPECT_EQ(again[0].time_ms, 6900);
  EXPECT_TRUE(debounce_commands(d, {"not a command", "cardpoll:bogus"}, 9000).empty());
  // Two different cards shown together both act.
  EXPECT_EQ(debounce_commands(d, {"cardpoll:reveal", "cardpoll:groups"}, 12000).size(), 2u);
}

TEST(Commands, MailboxHandsOverInFrameOrder) {
  CommandMailbox m;
  m.post({{{CommandKind::Next}, 100, "cardpoll:next"}});
  m.post({{{CommandKind::Reveal}, 300, "cardpoll:reveal"}});
  auto first = m.take_until(200);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].command.kind, CommandKind::Next);
  EXPECT_TRUE(m.take_until(200).empty());
  EXPECT_EQ(m.take_all().size(), 1u);
  EXPECT_EQ(m.checked_frames, 2);
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
  auto box = std::make_shared<CommandMailbox>();
  FrameSource src = with_command_reader(memory_source(frames, 10), box);
  Frame f;
  while (src.read(f).status == SourceStatus::Frame) {
  }
  const auto got = box->take_all();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].time_ms, 300);
  EXPECT_EQ(box->checked_frames, 10);
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
