// Black-box samples in the ZXing style: every image in tests/data/scanner/ has a NAME.expected
// beside it (see tests/data/scanner/make_samples.sh):
//   # comment
//   deck classroom            which deck to read with
//   allowed_misses 1          optional: cards the detector may miss on this frame
//   12 B                      one line per card on the frame: number and answer
//   none                      or this alone: nothing may be read
// A read that is not on the list fails the sample whatever allowed_misses says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "scanner/read_cards.h"

namespace cardpoll {
namespace {

namespace fs = std::filesystem;

struct Expected {
  const Deck* deck = nullptr;
  int allowed_misses = 0;
  std::map<std::pair<int, char>, int> cards;  // (card, answer letter) -> count
  bool none = false;
};

// Parses an .expected file; throws std::runtime_error naming the file and line.
Expected parse_expected(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  Expected e;
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error(path.string() + ":" + std::to_string(n) + ": " + why + " ('" + line + "')");
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "deck") {
      std::string name;
      words >> name;
      e.deck = find_deck(name);
      if (!e.deck) fail("no such deck");
    } else if (first == "allowed_misses") {
      if (!(words >> e.allowed_misses) || e.allowed_misses < 0) fail("expected a count");
    } else if (first == "none") {
      e.none = true;
    } else {
      int card = 0;
      try {
        card = std::stoi(first);
      } catch (const std::exception&) {
        fail("expected 'deck', 'allowed_misses', 'none' or 'CARD ANSWER'");
      }
      std::string answer;
      words >> answer;
      if (answer.size() != 1 || !answer_from_letter(answer[0])) fail("answer must be A, B, C or D");
      ++e.cards[{card, answer[0]}];
    }
  }
  if (!e.deck) fail("no 'deck' line");
  if (e.none == !e.cards.empty()) fail("either 'none' or card lines, not both or neither");
  return e;
}

fs::path sample_dir() { return fs::path(CARDPOLL_TEST_DATA) / "scanner"; }

TEST(DetectorBlackBox, EverySampleReadsAsExpected) {
  int samples = 0;
  for (const auto& entry : fs::directory_iterator(sample_dir())) {
    if (entry.path().extension() != ".expected") continue;
    const fs::path& exp_path = entry.path();
    fs::path image;
    for (const char* ext : {".png", ".jpg"}) {
      fs::path p = exp_path;
      p.replace_extension(ext);
      if (fs::exists(p)) image = p;
    }
    ASSERT_FALSE(image.empty()) << exp_path << " has no image beside it";
    SCOPED_TRACE(image.filename().string());
    const Expected e = parse_expected(exp_path);
    const cv::Mat frame = cv::imread(image.string(), cv::IMREAD_UNCHANGED);
    ASSERT_FALSE(frame.empty()) << image << " cannot be read";
    DetectParams params;
    params.deck = e.deck;
    auto left = e.cards;
    int found = 0;
    for (const auto& r : read_cards(frame, params)) {
      const std::pair<int, char> key{r.card, answer_letter(r.answer)};
      auto it = left.find(key);
      if (it == left.end() || it->second == 0) {
        ADD_FAILURE() << "wrong read: card " << r.card << " " << key.second << " at " << r.corners[0];
        continue;
      }
      --it->second;
      ++found;
    }
    int expected = 0;
    for (const auto& [k, v] : e.cards) expected += v;
    EXPECT_GE(found, expected - e.allowed_misses) << found << " of " << expected << " cards read";
    ++samples;
  }
  EXPECT_GE(samples, 8) << "black-box samples missing from " << sample_dir();
}

TEST(DetectorBlackBox, SamplesFolderStaysSmall) {
  std::uintmax_t total = 0;
  for (const auto& entry : fs::directory_iterator(sample_dir())) total += entry.file_size();
  EXPECT_LT(total, 3u * 1024 * 1024);
}

TEST(DetectorBlackBox, BadExpectedFilesAreReportedWithFileAndLine) {
  const fs::path dir = fs::temp_directory_path() / ("cardpoll_bb_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  auto message = [](const fs::path& p) {
    try {
      parse_expected(p);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(write("a.expected", "deck classroom\n12 X\n")).find("a.expected:2"), std::string::npos);
  EXPECT_NE(message(write("b.expected", "deck nope\n")).find("no such deck"), std::string::npos);
  EXPECT_NE(message(write("c.expected", "12 A\n")).find("no 'deck' line"), std::string::npos);
  EXPECT_NE(message(write("d.expected", "deck classroom\nnone\n3 A\n")).find("not both"), std::string::npos);
  EXPECT_EQ(message(write("e.expected", "# ok\ndeck large\nallowed_misses 1\n3 A\n3 A\n")), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cardpoll
