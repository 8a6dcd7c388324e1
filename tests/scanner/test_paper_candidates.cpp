// Candidates from a card's paper (scanner/paper.cpp): a glare band across a card on a dark
// backdrop lifts the ink it crosses above the mask's threshold and breaks the pattern into
// pieces; the paper's light hole in the backdrop holds them, and together they are the
// card again. Cards are drawn at 8 px a cell, a margin of 1.5 cells of paper, on a dark
// desk, the band added to ink and paper alike and clipped at the sensor's ceiling.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/deck.h"
#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"

namespace cardpoll {
namespace {

const Deck& classroom() { return *find_deck("classroom"); }

constexpr int kPpc = 8;       // pixels a cell
constexpr float kDesk = 30;   // the dark backdrop's grey
constexpr float kPaper = 170;
constexpr float kInk = 30;

struct Scene {
  cv::Mat gray;
  detect::Corners corners;  // the pattern's, clockwise from the top-left
};

// A frame of `size` px with one sheet of paper (margin 1.5 cells) in the middle, and on it
// the cells `cells` (1 black) of a grid g; a horizontal band of `strength` levels across
// the pattern's middle row, `sigma` cells wide. `extra` draws more on the paper.
template <class Extra>
Scene draw(const std::vector<uint8_t>& cells, int g, float strength, float sigma, uint32_t seed, Extra extra) {
  const int size = 160, side = g * kPpc, margin = kPpc * 3 / 2;
  const int x0 = (size - side) / 2;
  cv::Mat1f img(size, size, kDesk);
  img(cv::Rect(x0 - margin, x0 - margin, side + 2 * margin, side + 2 * margin)).setTo(kPaper);
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c)
      if (cells[static_cast<size_t>(r * g + c)]) img(cv::Rect(x0 + c * kPpc, x0 + r * kPpc, kPpc, kPpc)).setTo(kInk);
  extra(img, x0, margin);
  const float mid = static_cast<float>(x0) + static_cast<float>(side) / 2;
  for (int y = x0 - margin; y < x0 + side + margin; ++y)
    for (int x = x0 - margin; x < x0 + side + margin; ++x) {
      const float d = (static_cast<float>(y) - mid) / kPpc;
      img(y, x) = std::min(255.0f, img(y, x) + strength * std::exp(-d * d / (2 * sigma * sigma)));
    }
  cv::GaussianBlur(img, img, {0, 0}, 0.8);
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 2.0f);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) img(y, x) = std::clamp(img(y, x) + noise(rng), 0.0f, 255.0f);
  Scene s;
  img.convertTo(s.gray, CV_8U);
  const float a = static_cast<float>(x0) - 0.5f, b = static_cast<float>(x0 + side) - 0.5f;
  s.corners = {cv::Point2f(a, a), cv::Point2f(b, a), cv::Point2f(b, b), cv::Point2f(a, b)};
  return s;
}

Scene draw_card(int card, Answer answer, float strength, uint32_t seed, int broken = -1) {
  auto cells = card_cells(classroom(), card, answer);
  if (broken >= 0) cells[static_cast<size_t>(broken)] ^= 1;
  return draw(cells, classroom().grid, strength, 0.45f, seed, [](cv::Mat1f&, int, int) {});
}

// Whether some quad of some candidate has every corner within 2 px of the pattern's.
bool found(const std::vector<detect::Candidate>& cands, const detect::Corners& truth) {
  for (const auto& cand : cands)
    for (const auto& q : cand.quads) {
      int near = 0;
      for (const auto& p : q)
        for (const auto& t : truth) near += cv::norm(p - t) <= 2.0;
      if (near == 4) return true;
    }
  return false;
}

DetectParams without_paper() {
  DetectParams p;
  p.paper_candidates = false;
  return p;
}

// The band breaks the pattern (no candidate of the first kind has its outline); the paper
// stage finds it, and the chain reads the right card and answer.
TEST(PaperCandidates, FindsAndReadsACardThatAGlareBandBrokeInTwo) {
  const Deck& deck = classroom();
  int broken_apart = 0, read = 0, tried = 0;
  for (int card = 1; card <= deck.cards(); card += 4)
    for (const float strength : {150.0f, 200.0f}) {
      const Answer answer = static_cast<Answer>(card % 4);
      const Scene s = draw_card(card, answer, strength, static_cast<uint32_t>(card));
      ++tried;
      const cv::Mat dark = detect::threshold_dark(s.gray, DetectParams{});
      if (found(detect::find_candidates(dark, without_paper(), nullptr, &s.gray), s.corners)) continue;  // not broken
      ++broken_apart;
      EXPECT_TRUE(found(detect::find_candidates(dark, DetectParams{}, nullptr, &s.gray), s.corners)) << "card " << card;
      for (const auto& r : read_cards(s.gray, DetectParams{})) {
        EXPECT_EQ(r.card, card);
        EXPECT_EQ(r.answer, answer);
        read += r.card == card && r.answer == answer;
      }
    }
  EXPECT_GT(broken_apart, tried / 2) << "the band is too mild to test anything";
  EXPECT_GE(read, broken_apart * 2 / 3) << read << " of " << broken_apart;
}

// A look-alike that differs from a card in one fixed cell, broken by the same band, is
// found the same way and never read.
TEST(PaperCandidates, NeverReadsALookAlikeFoundFromItsPaper) {
  const Deck& deck = classroom();
  int tried = 0;
  for (int card = 2; card <= deck.cards(); card += 8)
    for (int i = 0; i < deck.grid * deck.grid; ++i) {
      if (deck.layout[static_cast<size_t>(i)] == CellKind::Data) continue;
      const Scene s = draw_card(card, Answer::A, 180, static_cast<uint32_t>(100 * card + i), i);
      ++tried;
      for (const auto& r : read_cards(s.gray, DetectParams{}))
        ADD_FAILURE() << "look-alike of card " << card << " (cell " << i << " flipped) read as card " << r.card;
    }
  EXPECT_GT(tried, 50);
}

// Pieces that are no card's pattern: two small squares far inside a sheet (too small for
// it), and a sheet of text (more pieces than a broken card has). Neither gives a candidate.
TEST(PaperCandidates, LeavesSheetsWithoutACardAlone) {
  const std::vector<uint8_t> blank(25, 0);
  const Scene two = draw(blank, 5, 0, 0.5f, 1, [](cv::Mat1f& img, int x0, int) {
    img(cv::Rect(x0 + 12, x0 + 12, 5, 5)).setTo(kInk);
    img(cv::Rect(x0 + 22, x0 + 20, 5, 5)).setTo(kInk);
  });
  const Scene text = draw(blank, 5, 0, 0.5f, 2, [](cv::Mat1f& img, int x0, int margin) {
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 6; ++c) img(cv::Rect(x0 - margin / 2 + 9 * c, x0 + 8 * r, 5, 3)).setTo(kInk);
  });
  for (const Scene* s : {&two, &text}) {
    const cv::Mat dark = detect::threshold_dark(s->gray, DetectParams{});
    EXPECT_EQ(detect::find_candidates(dark, DetectParams{}, nullptr, &s->gray).size(),
              detect::find_candidates(dark, without_paper(), nullptr, &s->gray).size());
    EXPECT_TRUE(read_cards(s->gray, DetectParams{}).empty());
  }
}

// A card whose pattern is whole (no band) is one piece: the paper stage adds nothing, and
// the card is read once.
TEST(PaperCandidates, AddsNothingForAWholePattern) {
  const Scene s = draw_card(9, Answer::C, 0, 3);
  const cv::Mat dark = detect::threshold_dark(s.gray, DetectParams{});
  EXPECT_EQ(detect::find_candidates(dark, DetectParams{}, nullptr, &s.gray).size(),
            detect::find_candidates(dark, without_paper(), nullptr, &s.gray).size());
  const auto reads = read_cards(s.gray, DetectParams{});
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].card, 9);
  EXPECT_EQ(reads[0].answer, Answer::C);
}

}  // namespace
}  // namespace cardpoll
