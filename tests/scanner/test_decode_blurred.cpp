// decode_blurred: a small card read as a whole pattern, blur included (scanner/decode_blurred.cpp).
// Cards are drawn at 3 px a cell and blurred as a webcam does: cell by cell decode refuses
// many of them, the whole-pattern fit reads them, and a look-alike that differs from a card
// in one fixed cell is never read, however it is blurred.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include <opencv2/imgproc.hpp>

#include "bench/frames.h"
#include "core/deck.h"
#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"
#include "tools/scenes/scene.h"

namespace cardpoll {
namespace {

const Deck& classroom() { return *find_deck("classroom"); }

// A 15 px card (3 px a cell) on paper with a quiet zone of 3 cells, blurred by `sigma_px`,
// with sensor noise. `broken` (a cell index, row-major) is drawn the other colour: a
// look-alike when it is a fixed cell.
struct SmallCard {
  cv::Mat gray;
  detect::Corners corners;
};

SmallCard draw(int card, Answer answer, float sigma_px, int broken = -1, uint32_t seed = 1,
               const Deck& deck = classroom(), int ppc = 3) {
  const int margin = 3 * ppc;
  const int side = deck.grid * ppc;
  cv::Mat1f img(side + 2 * margin, side + 2 * margin, 215.0f);
  auto cells = card_cells(deck, card, answer);
  if (broken >= 0) cells[static_cast<size_t>(broken)] ^= 1;
  for (int r = 0; r < deck.grid; ++r)
    for (int c = 0; c < deck.grid; ++c)
      if (cells[static_cast<size_t>(r * deck.grid + c)]) img(cv::Rect(margin + c * ppc, margin + r * ppc, ppc, ppc)).setTo(40.0f);
  cv::GaussianBlur(img, img, {0, 0}, sigma_px);
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img(y, x) += noise(rng);
  SmallCard s;
  img.convertTo(s.gray, CV_8U);
  const float a = margin - 0.5f, b = margin + side - 0.5f;
  s.corners = {cv::Point2f(a, a), cv::Point2f(b, a), cv::Point2f(b, b), cv::Point2f(a, b)};
  return s;
}

TEST(DecodeBlurred, ReadsSmallBlurredCardsThatDecodeRefusesCellByCell) {
  const Deck& deck = classroom();
  int refused_cell_by_cell = 0, read_whole = 0, wrong = 0, tried = 0;
  for (int card = 1; card <= deck.cards(); card += 3)
    for (int a = 0; a < 4; ++a) {
      const SmallCard s = draw(card, static_cast<Answer>(a), 1.6f, -1, static_cast<uint32_t>(card * 4 + a));
      ++tried;
      if (!detect::decode_card(s.gray, s.corners, deck, DetectParams{})) ++refused_cell_by_cell;
      const auto r = detect::decode_blurred(s.gray, s.corners, deck, DetectParams{});
      if (!r) continue;
      if (r->card == card && r->answer == static_cast<Answer>(a)) ++read_whole;
      else ++wrong;
    }
  EXPECT_EQ(wrong, 0);
  // Blur of 1.6 px on 3 px cells: most are refused cell by cell, nearly all read whole.
  EXPECT_GT(refused_cell_by_cell, tried / 2) << "the drawing is not blurred enough to test anything";
  EXPECT_GE(read_whole, tried * 9 / 10) << read_whole << " of " << tried;
}

// The renderer's look-alikes are grids with one fixed cell of a card the other colour (a
// white ring cell, a white corner, a black centre): no codeword is one cell from them with
// its fixed cells right, and blur must not make up the difference.
TEST(DecodeBlurred, NeverReadsALookAlikeWithOneFixedCellWrong) {
  const Deck& deck = classroom();
  std::vector<int> fixed;
  for (int i = 0; i < deck.grid * deck.grid; ++i)
    if (deck.layout[static_cast<size_t>(i)] != CellKind::Data) fixed.push_back(i);
  for (const float sigma : {0.8f, 1.1f, 1.4f, 1.7f, 2.0f})
    for (int card = 1; card <= deck.cards(); card += 5)
      for (const int broken : fixed) {
        const SmallCard s = draw(card, Answer::A, sigma, broken, static_cast<uint32_t>(card * 31 + broken));
        const char* why = "";
        if (detect::decode_blurred(s.gray, s.corners, deck, DetectParams{}, &why))
          ADD_FAILURE() << "look-alike of card " << card << " (cell " << broken << " flipped) read at blur " << sigma << " px";
      }
}

// The plickers deck's danger: at distance 2 a card with one cell misread may be one cell
// from two cards (itself, and the card that cell and the parity cell make). Drawn with each
// border cell in turn flipped, at blurs from sharp to 2 px on 3 px cells, no such pattern may
// be read as any card.
TEST(DecodeBlurred, OnPlickersAPatternOneCellFromTwoCardsIsNeverRead) {
  const Deck& deck = *find_deck("plickers");
  // The border cells the code decides (the format's fixed border cells among them: one of
  // those flipped is no card either).
  const std::vector<int> data(deck.data_cells.begin(), deck.data_cells.end());
  // Without the fit's checks (residual, runner-up, one-cell flips) many are read: the
  // drawings are close enough to cards to test them.
  DetectParams unchecked;
  unchecked.blurred_max_cell_residual = 1.0f;
  unchecked.blurred_min_gain = -1e30f;
  int tried = 0, read_unchecked = 0;
  for (const float sigma : {0.8f, 1.2f, 1.6f, 2.0f})
    for (int card = 1; card <= deck.cards(); card += 2)
      for (const int flipped : data) {
        const SmallCard s = draw(card, static_cast<Answer>(card % 4), sigma, flipped,
                                 static_cast<uint32_t>(card * 7 + flipped), deck);
        ++tried;
        read_unchecked += detect::decode_blurred(s.gray, s.corners, deck, unchecked).has_value();
        if (const auto r = detect::decode_blurred(s.gray, s.corners, deck, DetectParams{}))
          ADD_FAILURE() << "card " << card << " with cell " << flipped << " flipped read as card " << r->card
                        << " at blur " << sigma << " px";
      }
  EXPECT_GT(tried, 1000);
  EXPECT_GT(read_unchecked, tried / 4) << read_unchecked << " of " << tried;
}

// Through the whole chain: such a card in a frame is read by read_cards, and not with
// DetectParams::blurred_max_cell_px = 0. Plickers cards drawn the same way (at 4 px a cell:
// plickers refines a small card's outline from its hull, which blur shrinks under its 2.8 px
// floor at 3) are read right or not at all (its outlines measure 10% small, so most fits
// fail). No card of one deck is read as a card of the other.
TEST(DecodeBlurred, ReadCardsUsesItUnlessSwitchedOff) {
  for (const char* name : {"classroom", "plickers"}) {
    const Deck& deck = *find_deck(name);
    const Deck& other = *find_deck(deck.name == "classroom" ? "plickers" : "classroom");
    const bool plickers = deck.name == "plickers";
    int on = 0, off = 0, shown = 0;
    for (int card = 2; card <= deck.cards(); card += 5) {
      const SmallCard s = draw(card, Answer::C, plickers ? 2.0f : 1.6f, -1, static_cast<uint32_t>(card), deck,
                               plickers ? 4 : 3);
      cv::Mat frame(120, 160, CV_8U, cv::Scalar(215));
      s.gray.copyTo(frame(cv::Rect(60, 40, s.gray.cols, s.gray.rows)));
      ++shown;
      DetectParams with;
      with.deck = &deck;
      for (const auto& r : read_cards(frame, with)) {
        on += r.card == card && r.answer == Answer::C;
        EXPECT_TRUE(r.card == card && r.answer == Answer::C) << name << " card " << card << " read as " << r.card;
      }
      DetectParams none = with;
      none.blurred_max_cell_px = 0;
      off += static_cast<int>(read_cards(frame, none).size());
      // The decks share a geometry and three patterns (docs/cards.md): read on the other
      // deck, a card is nothing, or the other deck's card of the very same pattern (classroom
      // 32 is plickers 14, in every rotation).
      const auto cells = card_cells(deck, card, Answer::C);
      DetectParams across;
      across.deck = &other;
      for (const auto& r : read_cards(frame, across))
        EXPECT_EQ(card_cells(other, r.card, r.answer), cells)
            << name << " card " << card << " read as " << other.name << " card " << r.card;
    }
    if (plickers) continue;
    EXPECT_GE(on, 6);  // 7 of 10: at this blur some outlines are not found
    EXPECT_LE(off, on - 5) << "decode_card alone reads these as well: the test shows nothing";
  }
}

// The typical hunt, frame 257: a 7 px card 9 (1.4 px a cell) was read as card 36 by the
// whole-pattern fit, whose best blur was the widest it models (0.7 cell, a pixel here):
// the camera's blur was wider still, every codeword drawn too sharp. Such a fit is refused
// whatever the card's size (the size floor, DetectParams::blurred_min_cell_px, is off here);
// the card beside it, 10.6 px, is read right that way.
TEST(DecodeBlurred, AFitAtTheWidestBlurModelledIsNotRead) {
  scenes::SceneSpec spec;
  spec.seed = 200257;  // bench_scanner --wrong-reads: 100000 x (setting + 1) + frame
  spec.difficulty = scenes::Difficulty::Typical;
  spec.size = {1920, 1080};
  spec.random_cards = 40;
  spec.min_side_px = 8;
  spec.max_side_px = 64;
  const scenes::Scene s = scenes::render_scene(spec);
  DetectParams anywhere;
  anywhere.blurred_min_cell_px = 0;
  bool small_one_read = false;
  for (const auto& r : read_cards(s.gray, anywhere)) {
    const cv::Point2f c = (r.corners[0] + r.corners[1] + r.corners[2] + r.corners[3]) * 0.25f;
    if (cv::norm(c - cv::Point2f(399.1f, 83.6f)) < 5) {
      EXPECT_EQ(r.card, 9) << "the 7 px card read as another";
    }
    small_one_read = small_one_read || (cv::norm(c - cv::Point2f(1175.3f, 325.0f)) < 5 && r.card == 15);
  }
  EXPECT_TRUE(small_one_read) << "the 10.6 px card 15 beside it is no longer read";
  DetectParams plain = anywhere;
  plain.blurred_max_cell_px = 0;
  for (const auto& r : read_cards(s.gray, plain)) {
    const cv::Point2f c = (r.corners[0] + r.corners[1] + r.corners[2] + r.corners[3]) * 0.25f;
    EXPECT_GT(cv::norm(c - cv::Point2f(1175.3f, 325.0f)), 5) << "decode_card reads card 15 alone: the test shows nothing";
  }
}

TEST(DecodeBlurred, RefusesFlatPaperAndAQuadOffTheCard) {
  const Deck& deck = classroom();
  SmallCard s = draw(7, Answer::B, 1.0f);
  // Moved by one cell: the grid straddles the quiet zone and the pattern.
  detect::Corners shifted = s.corners;
  for (auto& p : shifted) p.x += 3;
  EXPECT_FALSE(detect::decode_blurred(s.gray, shifted, deck, DetectParams{}));
  s.gray.setTo(200);
  const char* why = "";
  EXPECT_FALSE(detect::decode_blurred(s.gray, s.corners, deck, DetectParams{}, &why));
  EXPECT_EQ(std::string(why), "contrast");
}

TEST(DecodeBlurred, WholePatternAgreesOnlyWithTheCardAndAnswerShown) {
  const Deck& deck = classroom();
  const SmallCard s = draw(7, Answer::B, 1.0f);
  CardRead shown;
  shown.card = 7;
  shown.answer = Answer::B;
  EXPECT_EQ(detect::whole_pattern_doubt(s.gray, s.corners, deck, DetectParams{}, shown), nullptr);
  CardRead other = shown;
  other.card = 8;
  EXPECT_STREQ(detect::whole_pattern_doubt(s.gray, s.corners, deck, DetectParams{}, other), "another card");
  other = shown;
  other.answer = Answer::C;
  EXPECT_STREQ(detect::whole_pattern_doubt(s.gray, s.corners, deck, DetectParams{}, other), "another card");
  cv::Mat flat = s.gray.clone();
  flat.setTo(200);
  EXPECT_STREQ(detect::whole_pattern_doubt(flat, s.corners, deck, DetectParams{}, shown), "contrast");
}

// A small card decode reads cell by cell, one sample a cell, is refused when the
// whole-pattern fit through the same corners fits another card best, and well
// (DetectParams::small_reads_agree). Frame 51 of diag_small_cards' hard frames (40 cards of
// 12-22 px): the outline of a 12.6 px card 15 lies a third of a cell off at one corner and
// decode reads card 2 (margin 0.20); the fit ranks card 15 first there.
TEST(DecodeBlurred, ASmallCellByCellReadTheFitDisputesIsRefused) {
  struct Case {
    scenes::Difficulty setting;
    uint64_t seed;
    cv::Point2f at;
  };
  for (const Case& k : {Case{scenes::Difficulty::Hard, 600051, {665.2f, 716.0f}}}) {
    // diag_small_cards' frames: seed 200000 x (setting + 1) + frame, 40 cards of 12-22 px.
    const scenes::Scene s = scenes::render_scene(bench::frame_spec(k.setting, k.seed, 12, 22, &classroom()));
    // The wrong read there, and whether it is the card shown.
    auto wrong_at = [&](const DetectParams& params, int& right) {
      int wrong = 0;
      right = 0;
      for (const auto& r : read_cards(s.gray, params)) {
        const cv::Point2f c = (r.corners[0] + r.corners[1] + r.corners[2] + r.corners[3]) * 0.25f;
        bool shown = false;
        for (const auto& t : s.truth) {
          const cv::Point2f tc = (t.corners[0] + t.corners[1] + t.corners[2] + t.corners[3]) * 0.25f;
          shown = shown || (cv::norm(tc - c) < 0.35f * t.side_px && t.card == r.card && t.answer == r.answer);
        }
        right += shown;
        wrong += !shown && cv::norm(c - k.at) < 3;
      }
      return wrong;
    };
    DetectParams alone;
    alone.deck = &classroom();
    alone.small_reads_agree = false;
    int right_alone = 0, right = 0;
    ASSERT_EQ(wrong_at(alone, right_alone), 1) << "seed " << k.seed << ": decode alone no longer misreads there";
    DetectParams checked;
    checked.deck = &classroom();
    EXPECT_EQ(wrong_at(checked, right), 0) << "seed " << k.seed;
    EXPECT_GE(right, right_alone - 3) << "seed " << k.seed << ": the check costs many right reads";
  }
}

}  // namespace
}  // namespace cardpoll
