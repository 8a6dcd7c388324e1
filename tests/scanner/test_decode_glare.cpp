// decode_glare: a large card under a laminate's glare band, read along the band
// (scanner/decode_glare.cpp). Cards are drawn at 10 px a cell on grey card stock, a band of
// specular light added to ink and paper alike and clipped at the sensor's ceiling, then
// blurred and noised as a webcam does. decode_card refuses many of them (the band is
// narrower than its light model follows); decode_glare reads them, and never reads a
// look-alike that differs from a card in one fixed cell, nor any card under even light.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <string_view>

#include <opencv2/imgproc.hpp>

#include "core/deck.h"
#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"

namespace cardpoll {
namespace {

const Deck& classroom() { return *find_deck("classroom"); }

struct Band {
  float angle_deg = 0;  // the band's normal, image degrees
  float offset = 0;     // from the card's centre along the normal, cells
  float sigma = 0.5f;   // cells
  float strength = 0;   // grey levels added at its middle (0: no band)
};

struct Drawn {
  cv::Mat gray;
  detect::Corners corners;
};

// Card `card` held with `answer` on top, 10 px a cell, a quiet zone of 2 cells of paper at
// `paper` on a mid-grey desk; `broken` (a cell index) drawn the other colour.
Drawn draw(int card, Answer answer, const Band& band, int broken = -1, uint32_t seed = 1, float paper = 200,
           const Deck& deck = classroom()) {
  constexpr int ppc = 10, quiet = 2, desk = 20;
  const int side = deck.grid * ppc, card_px = side + 2 * quiet * ppc, size = card_px + 2 * desk;
  cv::Mat1f img(size, size, 120.0f);
  img(cv::Rect(desk, desk, card_px, card_px)).setTo(paper);
  auto cells = card_cells(deck, card, answer);
  if (broken >= 0) cells[static_cast<size_t>(broken)] ^= 1;
  const int x0 = desk + quiet * ppc;
  for (int r = 0; r < deck.grid; ++r)
    for (int c = 0; c < deck.grid; ++c)
      if (cells[static_cast<size_t>(r * deck.grid + c)]) img(cv::Rect(x0 + c * ppc, x0 + r * ppc, ppc, ppc)).setTo(35.0f);
  const float centre = static_cast<float>(size) / 2;
  const float nx = std::cos(band.angle_deg * static_cast<float>(CV_PI) / 180);
  const float ny = std::sin(band.angle_deg * static_cast<float>(CV_PI) / 180);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const float d = ((static_cast<float>(x) - centre) * nx + (static_cast<float>(y) - centre) * ny) / ppc - band.offset;
      img(y, x) = std::min(255.0f, img(y, x) + band.strength * std::exp(-d * d / (2 * band.sigma * band.sigma)));
    }
  cv::GaussianBlur(img, img, {0, 0}, 1.0);
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) img(y, x) = std::min(255.0f, img(y, x) + noise(rng));
  Drawn d;
  img.convertTo(d.gray, CV_8U);
  const float a = static_cast<float>(x0) - 0.5f, b = static_cast<float>(x0 + side) - 0.5f;
  d.corners = {cv::Point2f(a, a), cv::Point2f(b, a), cv::Point2f(b, b), cv::Point2f(a, b)};
  return d;
}

// The same drawing shrunk by `scale` (area averaging, as a sensor's pixels do), its corners
// with it: 0.35 gives 3.5 px a cell, a 17.5 px card.
Drawn shrunk(const Drawn& big, float scale) {
  Drawn d;
  cv::resize(big.gray, d.gray, {}, scale, scale, cv::INTER_AREA);
  for (size_t k = 0; k < 4; ++k) d.corners[k] = (big.corners[k] + cv::Point2f(0.5f, 0.5f)) * scale - cv::Point2f(0.5f, 0.5f);
  return d;
}

// Bands across the card in every direction, 0.3-0.8 cell wide, strong enough to lift the ink
// under them by 100-170 levels and clip the paper: the cards decode_card cannot follow.
std::vector<Band> bands() {
  std::vector<Band> out;
  for (const float angle : {0.0f, 25.0f, 50.0f, 90.0f, 115.0f, 160.0f})
    for (const float offset : {-1.5f, -0.5f, 0.0f, 1.0f})
      for (const float sigma : {0.3f, 0.5f, 0.8f}) out.push_back({angle, offset, sigma, 100 + 70 * sigma});
  return out;
}

TEST(DecodeGlare, ReadsCardsUnderAClippingBandThatDecodeRefusesCellByCell) {
  const Deck& deck = classroom();
  int tried = 0, refused = 0, read_by_glare = 0, wrong = 0;
  uint32_t seed = 1;
  for (const Band& band : bands())
    for (int card = 1; card <= deck.cards(); card += 9) {
      const Answer answer = static_cast<Answer>(card % 4);
      const Drawn d = draw(card, answer, band, -1, ++seed);
      ++tried;
      const char* why = "ok";
      if (detect::decode_card(d.gray, d.corners, deck, DetectParams{}, &why)) continue;
      const std::string reason = why;
      // What read_cards hands on (a band's edge through a cell splits its samples).
      if (reason != "fixed cell" && reason != "margin" && reason != "cell not uniform") continue;
      ++refused;
      const auto r = detect::decode_glare(d.gray, d.corners, deck, DetectParams{});
      if (!r) continue;
      if (r->card == card && r->answer == answer) ++read_by_glare;
      else ++wrong;
    }
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(refused, tried / 4) << "the bands are too mild to test anything: " << refused << " of " << tried;
  EXPECT_GE(read_by_glare, refused * 2 / 3) << read_by_glare << " of " << refused;
}

// The renderer's look-alikes (and printed grids in a room) differ from a card in one fixed
// cell. However the band lies, a profile that explains the light must not explain that
// cell away, also when the band washes it out.
TEST(DecodeGlare, NeverReadsALookAlikeWithOneFixedCellWrong) {
  const Deck& deck = classroom();
  std::vector<int> fixed;
  for (int i = 0; i < deck.grid * deck.grid; ++i)
    if (deck.layout[static_cast<size_t>(i)] != CellKind::Data) fixed.push_back(i);
  int tried = 0;
  uint32_t seed = 7;
  for (const Band& band : bands())
    for (int card = 3; card <= deck.cards(); card += 17)
      for (const int broken : fixed) {
        const Drawn d = draw(card, Answer::A, band, broken, ++seed);
        ++tried;
        if (const auto r = detect::decode_glare(d.gray, d.corners, deck, DetectParams{}))
          ADD_FAILURE() << "look-alike of card " << card << " (cell " << broken << " flipped) read as card " << r->card
                        << " under a band at " << band.angle_deg << " degrees, " << band.offset << " cells off";
      }
  EXPECT_GT(tried, 1000);
}

// read_cards hands decode_glare the cards decode_card refuses as "cell not uniform" too: a
// band's edge splits a cell's samples. A grid that does not fit the pattern splits cells
// as well (a 6x6 card of the large deck seen as 5x5); the band model must not explain it.
TEST(DecodeGlare, NeverReadsACardOfAnotherGrid) {
  const Deck& large = *find_deck("large");
  int tried = 0, not_uniform = 0;
  uint32_t seed = 11;
  for (const Band& band : bands())
    for (int card = 2; card <= large.cards(); card += 13) {
      const Drawn d = draw(card, Answer::A, band, -1, ++seed, 200, large);
      ++tried;
      const char* why = "ok";
      if (!detect::decode_card(d.gray, d.corners, classroom(), DetectParams{}, &why))
        not_uniform += std::string(why) == "cell not uniform";
      if (const auto r = detect::decode_glare(d.gray, d.corners, classroom(), DetectParams{}))
        ADD_FAILURE() << "large card " << card << " read as classroom card " << r->card << " under a band at "
                      << band.angle_deg << " degrees, " << band.offset << " cells off";
    }
  EXPECT_GT(not_uniform, tried / 2) << not_uniform << " of " << tried;
}

// Under even light (or a band too weak to matter) decode_card has said what the card shows:
// decode_glare reads nothing there ("no band"), on grey stock as on white.
TEST(DecodeGlare, LeavesEvenlyLitCardsToDecode) {
  const Deck& deck = classroom();
  for (const float paper : {120.0f, 200.0f, 240.0f})
    for (int card = 1; card <= deck.cards(); card += 7) {
      const Drawn d = draw(card, Answer::B, Band{}, -1, static_cast<uint32_t>(card), paper);
      ASSERT_TRUE(detect::decode_card(d.gray, d.corners, deck, DetectParams{})) << "card " << card;
      const char* why = "ok";
      EXPECT_FALSE(detect::decode_glare(d.gray, d.corners, deck, DetectParams{}, &why)) << "card " << card;
      EXPECT_STREQ(why, "no band") << "card " << card << " on paper " << paper;
    }
}

// Where the band clips ink and paper alike the print is gone. A fixed cell gone is not
// taken as known (a look-alike differs from a card there): a band that washes out row 0,
// with two corner cells in it, leaves every card unread.
TEST(DecodeGlare, AFixedCellTheBandWashesOutIsRefused) {
  const Deck& deck = classroom();
  for (int card = 1; card <= deck.cards(); card += 5) {
    const Band band{90, -2.0f, 0.5f, 400};  // horizontal, through row 0's middle: the ink there clips too
    const Drawn d = draw(card, Answer::A, band, -1, static_cast<uint32_t>(card));
    EXPECT_FALSE(detect::decode_glare(d.gray, d.corners, deck, DetectParams{})) << "card " << card;
  }
}

// Cards of 14-20 px (2.8-4 px a cell, from glare_min_cell_px): blur spreads a band over
// half the pattern there, and a card decode_card refuses is still read along the band,
// never as another card. Under the floor (2.6 px a cell here) nothing is tried.
TEST(DecodeGlare, ReadsSmallCardsFrom14PxUnderABand) {
  const Deck& deck = classroom();
  for (const float scale : {0.36f, 0.3f}) {
    int refused = 0, read_by_glare = 0, wrong = 0, too_small = 0;
    uint32_t seed = 11;
    for (const Band& band : bands())
      for (int card = 2; card <= deck.cards(); card += 9) {
        const Answer answer = static_cast<Answer>(card % 4);
        const Drawn d = shrunk(draw(card, answer, band, -1, ++seed), scale);
        const char* why = "ok";
        if (detect::decode_card(d.gray, d.corners, deck, DetectParams{}, &why)) continue;
        const std::string reason = why;
        if (reason != "fixed cell" && reason != "margin") continue;
        ++refused;
        const auto r = detect::decode_glare(d.gray, d.corners, deck, DetectParams{});
        if (r && r->card == card && r->answer == answer) ++read_by_glare;
        else if (r) ++wrong;
        const Drawn smaller = shrunk(draw(card, answer, band, -1, seed), 0.26f);
        why = "ok";
        if (!detect::decode_glare(smaller.gray, smaller.corners, deck, DetectParams{}, &why) &&
            std::string_view(why) == "too small")
          ++too_small;
      }
    SCOPED_TRACE(std::to_string(scale * 10) + " px a cell");
    EXPECT_EQ(wrong, 0);
    EXPECT_GT(refused, 20) << "the bands are too mild to test anything";
    EXPECT_GE(read_by_glare, refused * 2 / 3) << read_by_glare << " of " << refused;
    EXPECT_EQ(too_small, refused) << "2.6 px a cell is under the floor";
  }
}

TEST(DecodeGlare, NeverReadsASmallLookAlike) {
  const Deck& deck = classroom();
  int tried = 0;
  uint32_t seed = 23;
  for (const float scale : {0.36f, 0.3f})
    for (const Band& band : bands())
      for (int card = 5; card <= deck.cards(); card += 23)
        for (int broken = 0; broken < deck.grid * deck.grid; ++broken) {
          if (deck.layout[static_cast<size_t>(broken)] == CellKind::Data) continue;
          const Drawn d = shrunk(draw(card, Answer::C, band, broken, ++seed), scale);
          ++tried;
          if (const auto r = detect::decode_glare(d.gray, d.corners, deck, DetectParams{}))
            ADD_FAILURE() << scale * 10 << " px a cell: look-alike of card " << card << " (cell " << broken
                          << " flipped) read as card " << r->card << " under a band at " << band.angle_deg << " degrees";
        }
  EXPECT_GT(tried, 1000);
}

TEST(DecodeGlare, SwitchedOffOrTooSmallItReadsNothing) {
  const Drawn d = draw(12, Answer::C, Band{50, 0, 0.4f, 150});
  DetectParams off;
  off.glare_min_cell_px = 0;
  const char* why = "ok";
  EXPECT_FALSE(detect::decode_glare(d.gray, d.corners, classroom(), off, &why));
  EXPECT_STREQ(why, "too small");
  DetectParams larger;
  larger.glare_min_cell_px = 12;  // the drawing has 10 px a cell
  EXPECT_FALSE(detect::decode_glare(d.gray, d.corners, classroom(), larger, &why));
  EXPECT_STREQ(why, "too small");
}

}  // namespace
}  // namespace cardpoll
