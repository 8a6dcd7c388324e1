// `cardpoll scan` as outside tools use it: the --json line format, exit codes, bad inputs
// named, --draw files, videos frame by frame. Runs the built executable (CARDPOLL_EXE) on
// small images composed here from the cards' patterns.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/deck.h"
#include "core/json.h"
#include "display/print/pattern.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;
using test_support::CliRun;

std::string quote(const std::string& s) { return test_support::shell_quote(s); }

CliRun run_scan(const std::string& args, const fs::path&) {
  return test_support::run_cardpoll_line("scan " + args);
}

struct Placed {
  int card;
  Answer answer;
  int x, y, side;  // the pattern square's top-left and side, pixels
};

// A white picture with cards pasted upright-axis-aligned (answers by quarter turns).
cv::Mat compose(cv::Size size, const std::vector<Placed>& cards) {
  cv::Mat img(size, CV_8UC1, cv::Scalar(235));
  const Deck& deck = *find_deck("classroom");
  for (const Placed& c : cards) {
    const print::PatternImage p = print::pattern_image(deck, c.card, 20, c.answer);
    cv::Mat pat(p.side, p.side, CV_8UC1, const_cast<uint8_t*>(p.pixels.data()));
    cv::Mat scaled;
    cv::resize(pat, scaled, {c.side, c.side}, 0, 0, cv::INTER_AREA);
    scaled.copyTo(img(cv::Rect(c.x, c.y, c.side, c.side)));
  }
  return img;
}

const std::vector<Placed> kCards = {{3, Answer::A, 40, 40, 60},
                                    {17, Answer::B, 200, 60, 60},
                                    {25, Answer::C, 90, 170, 50}};

// Where the printed top-left corner of a placed card lands for its answer.
cv::Point2f printed_top_left(const Placed& c) {
  const float x0 = static_cast<float>(c.x), y0 = static_cast<float>(c.y),
              s = static_cast<float>(c.side);
  switch (c.answer) {
    case Answer::A: return {x0, y0};
    case Answer::B: return {x0, y0 + s};      // turned a quarter CCW: TL goes bottom-left
    case Answer::C: return {x0 + s, y0 + s};  // half turn
    case Answer::D: return {x0 + s, y0};
  }
  return {};
}

void check_frame_line(const JsonValue& v) {
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.obj().size(), 4u);  // exactly source, frame, ms, cards: the stable format
  EXPECT_FALSE(v["source"].str().empty());
  EXPECT_GE(v["frame"].num(), 0);
  EXPECT_GE(v["ms"].num(), 0);
  for (const JsonValue& c : v["cards"].arr()) {
    EXPECT_EQ(c.obj().size(), 3u);
    EXPECT_GE(c["card"].num(), 1);
    EXPECT_EQ(c["answer"].str().size(), 1u);
    ASSERT_EQ(c["corners"].arr().size(), 4u);
    for (const JsonValue& p : c["corners"].arr()) ASSERT_EQ(p.arr().size(), 2u);
  }
}

TEST(ScanCli, JsonOneLinePerImageWithCardsAnswersAndCorners) {
  TempDir d;
  const fs::path img = d.path / "class.png";
  cv::imwrite(img.string(), compose({320, 260}, kCards));
  const CliRun r = run_scan("--json " + quote(img.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  ASSERT_EQ(lines.size(), 1u) << r.out;
  const JsonValue v = parse_json(lines[0]);
  check_frame_line(v);
  EXPECT_EQ(v["source"].str(), img.string());
  EXPECT_EQ(v["frame"].num(), 0);
  const auto& cards = v["cards"].arr();
  ASSERT_EQ(cards.size(), kCards.size()) << lines[0];
  for (size_t i = 0; i < kCards.size(); ++i) {  // sorted by card number
    EXPECT_EQ(cards[i]["card"].num(), kCards[i].card);
    EXPECT_EQ(cards[i]["answer"].str(), std::string(1, answer_letter(kCards[i].answer)));
    const cv::Point2f tl = printed_top_left(kCards[i]);
    EXPECT_NEAR(cards[i]["corners"][0][0].num(), tl.x, 3) << lines[0];
    EXPECT_NEAR(cards[i]["corners"][0][1].num(), tl.y, 3) << lines[0];
  }
  EXPECT_TRUE(r.err.empty()) << r.err;  // no progress bar or chatter off a terminal
}

TEST(ScanCli, FolderGivesOneLinePerImageInNameOrder) {
  TempDir d;
  const fs::path dir = d.path / "shots";
  fs::create_directories(dir);
  cv::imwrite((dir / "p10.png").string(), compose({200, 200}, {{8, Answer::D, 50, 50, 60}}));
  cv::imwrite((dir / "p9.jpg").string(), compose({200, 200}, {{9, Answer::A, 50, 50, 60}}));
  std::ofstream(dir / "p9.txt") << "9 A\n";  // expected-result files are not images
  const CliRun r = run_scan("--json " + quote(dir.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  ASSERT_EQ(lines.size(), 2u) << r.out;
  const JsonValue a = parse_json(lines[0]), b = parse_json(lines[1]);
  EXPECT_EQ(fs::path(a["source"].str()).filename(), "p9.jpg");
  EXPECT_EQ(fs::path(b["source"].str()).filename(), "p10.png");
  ASSERT_EQ(a["cards"].arr().size(), 1u);
  EXPECT_EQ(a["cards"][0]["card"].num(), 9);
  ASSERT_EQ(b["cards"].arr().size(), 1u);
  EXPECT_EQ(b["cards"][0]["answer"].str(), "D");
}

TEST(ScanCli, BadInputsAreNamedTheOthersScannedAndTheExitCodeIsOne) {
  TempDir d;
  const fs::path good = d.path / "good.png", corrupt = d.path / "corrupt.jpg",
                 missing = d.path / "missing.png", notvideo = d.path / "notes.mp4";
  cv::imwrite(good.string(), compose({200, 200}, {{4, Answer::C, 50, 50, 60}}));
  std::ofstream(corrupt) << "\xff\xd8\xff not really a jpeg";
  std::ofstream(notvideo) << "plain text, not a video";
  const CliRun r = run_scan("--json " + quote(corrupt.string()) + " " + quote(missing.string()) + " " +
                             quote(good.string()) + " " + quote(notvideo.string()),
                         d.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("corrupt.jpg"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.png"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("notes.mp4"), std::string::npos) << r.err;
  const auto lines = r.lines();
  ASSERT_EQ(lines.size(), 1u) << r.out;  // stdout: only the good image's result
  EXPECT_EQ(parse_json(lines[0])["source"].str(), good.string());
}

TEST(ScanCli, AnImageWithoutCardsIsNotAnError) {
  TempDir d;
  const fs::path img = d.path / "empty.png";
  cv::imwrite(img.string(), cv::Mat(120, 160, CV_8UC1, cv::Scalar(200)));
  const CliRun r = run_scan("--json " + quote(img.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.lines().size(), 1u);
  EXPECT_TRUE(parse_json(r.lines()[0])["cards"].arr().empty());
}

TEST(ScanCli, ReadableSummaryWithoutJson) {
  TempDir d;
  const fs::path img = d.path / "class.png";
  cv::imwrite(img.string(), compose({320, 260}, kCards));
  const CliRun r = run_scan(quote(img.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("class.png: 3 cards"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("17 B"), std::string::npos) << r.out;
}

TEST(ScanCli, DrawWritesAnnotatedCopies) {
  TempDir d;
  const fs::path img = d.path / "class.png", out = d.path / "drawn";
  const cv::Mat grey = compose({320, 260}, kCards);
  cv::imwrite(img.string(), grey);
  const CliRun r = run_scan("--draw " + quote(out.string()) + " " + quote(img.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const cv::Mat drawn = cv::imread((out / "class.png").string(), cv::IMREAD_COLOR);
  ASSERT_FALSE(drawn.empty());
  EXPECT_EQ(drawn.size(), grey.size());
  // The outlines are coloured; the input was grey.
  cv::Mat channels[3];
  cv::split(drawn, channels);
  EXPECT_GT(cv::norm(channels[1], channels[2], cv::NORM_L1), 0);
}

fs::path write_video(const fs::path& path, int frames, const std::vector<Placed>& cards) {
  cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, {320, 260});
  cv::Mat bgr;
  cv::cvtColor(compose({320, 260}, cards), bgr, cv::COLOR_GRAY2BGR);
  for (int i = 0; i < frames; ++i) w.write(bgr);
  return path;
}

TEST(ScanCli, VideoOneLinePerFrameAndStableAnswers) {
  TempDir d;
  const fs::path vid = write_video(d.path / "clip.avi", 8, kCards);
  const CliRun r = run_scan("--json --stable --min-frames 3 " + quote(vid.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int frames = 0;
  std::map<int, std::string> stable;
  for (const std::string& l : r.lines()) {
    const JsonValue v = parse_json(l);
    EXPECT_EQ(v["source"].str(), vid.string());
    if (v.has("stable")) {
      stable[static_cast<int>(v["stable"]["card"].num())] = v["stable"]["answer"].str();
      EXPECT_GE(v["stable"]["frames"].num(), 3);
      continue;
    }
    check_frame_line(v);
    EXPECT_EQ(v["frame"].num(), frames);  // in frame order
    EXPECT_EQ(v["cards"].arr().size(), kCards.size()) << l;
    ++frames;
  }
  EXPECT_EQ(frames, 8);
  EXPECT_EQ(stable, (std::map<int, std::string>{{3, "A"}, {17, "B"}, {25, "C"}}));
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(ScanCli, FramesLimitsAVideo) {
  TempDir d;
  const fs::path vid = write_video(d.path / "clip.avi", 10, {{5, Answer::A, 50, 50, 60}});
  const CliRun r = run_scan("--json --frames 4 " + quote(vid.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.lines().size(), 4u);
}

TEST(ScanCli, DrawOnAVideoWritesOnePicturePerFrame) {
  TempDir d;
  const fs::path vid = write_video(d.path / "clip.avi", 3, {{5, Answer::A, 50, 50, 60}});
  const CliRun r = run_scan("--draw " + quote((d.path / "out").string()) + " " + quote(vid.string()), d.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"clip-000000.png", "clip-000001.png", "clip-000002.png"})
    EXPECT_TRUE(fs::exists(d.path / "out" / f)) << f;
}

TEST(ScanCli, UsageErrorsExitTwo) {
  TempDir d;
  EXPECT_EQ(run_scan("", d.path).exit_code, 2);
  const CliRun deck = run_scan("--deck nosuch x.png", d.path);
  EXPECT_EQ(deck.exit_code, 2);
  EXPECT_NE(deck.err.find("nosuch"), std::string::npos);
  EXPECT_EQ(run_scan("--frames 0 x.png", d.path).exit_code, 2);
  EXPECT_EQ(run_scan("--bogus x.png", d.path).exit_code, 2);
}

}  // namespace
}  // namespace cardpoll

namespace cardpoll {
namespace {

// The bytes of `scan --json` are a contract for outside tools: a checked-in sample scanned
// now must print exactly the golden lines (the time "ms" and the folder of the source vary
// by machine and are masked). Regenerate with CARDPOLL_UPDATE_GOLDEN=1 after an intended
// change, and review the diff.
std::string mask_machine_parts(std::string line, const std::string& folder) {
  for (size_t at; (at = line.find(folder)) != std::string::npos;) line.replace(at, folder.size(), "DATA/");
  for (size_t at = 0; (at = line.find("\"ms\":", at)) != std::string::npos;) {
    at += 5;
    size_t end = at;
    while (end < line.size() && (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '.')) ++end;
    line.replace(at, end - at, "0");
  }
  return line;
}

TEST(ScanCliGolden, JsonBytesOfACheckedInSampleStayTheSame) {
  const std::string folder = std::string(CARDPOLL_TEST_DATA) + "/scanner/";
  const CliRun r = run_scan("--json " + quote(folder + "easy_cards.jpg") + " " + quote(folder + "crowd_of_cards.jpg"), {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string actual;
  for (const auto& l : r.lines()) actual += mask_machine_parts(l, folder) + "\n";
  const std::string golden = std::string(CARDPOLL_TEST_DATA) + "/scan/scan_json.golden";
  const char* update = std::getenv("CARDPOLL_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") std::ofstream(golden, std::ios::binary) << actual;
  std::ifstream in(golden, std::ios::binary);
  const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(expected.empty()) << "missing " << golden << " (CARDPOLL_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace cardpoll
