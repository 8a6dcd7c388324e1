// The Plickers-format deck: its table against the public rule printed on the cards (written
// out again here from the cells, independent of tools/deckgen.cpp), its distance, and its
// overlap with the classroom deck.
#include <gtest/gtest.h>

#include <bit>
#include <set>

#include "core/deck.h"
#include "tests/foundation/plickers_rule.h"

using namespace cardpoll;

namespace {

const Deck& plickers() { return *find_deck("plickers"); }

uint8_t at(const std::vector<uint8_t>& cells, int r, int c) { return cells[static_cast<size_t>(r * 5 + c)]; }

int number_by_the_rule(const std::vector<uint8_t>& cells) { return test_support::plickers_number_by_the_rule(cells); }

// 12 border cells as bits (for distances), any fixed order.
uint32_t border_bits(const std::vector<uint8_t>& cells) {
  uint32_t b = 0;
  int i = 0;
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c)
      if (r == 0 || c == 0 || r == 4 || c == 4) b |= static_cast<uint32_t>(cells[static_cast<size_t>(r * 5 + c)]) << i++;
  return b;
}

}  // namespace

TEST(PlickersDeck, EveryCardFollowsThePrintedRule) {
  const Deck& d = plickers();
  ASSERT_EQ(d.cards(), 63);
  std::set<int> numbers;
  for (int n = 1; n <= 63; ++n) {
    const auto cells = card_cells(d, n, Answer::A);
    EXPECT_EQ(number_by_the_rule(cells), n) << "card " << n;
    numbers.insert(number_by_the_rule(cells));
  }
  EXPECT_EQ(numbers.size(), 63u);
  EXPECT_EQ(numbers.count(0), 0u);  // the all-black data pattern is no card
}

TEST(PlickersDeck, TheRuleAdmitsExactlySixtyThreeCardsAndTheTableHasThemAll) {
  // Every 12-bit border pattern the rule accepts, in every rotation: the deck must hold
  // each accepted upright pattern once, and no rotation may be accepted as another card.
  const Deck& d = plickers();
  std::set<uint32_t> deck_patterns;
  for (int n = 1; n <= d.cards(); ++n) deck_patterns.insert(border_bits(card_cells(d, n)));
  int accepted = 0;
  for (int n = 1; n <= d.cards(); ++n)
    for (int a = 1; a < 4; ++a)
      EXPECT_EQ(number_by_the_rule(card_cells(d, n, static_cast<Answer>(a))), -1)
          << "card " << n << " turned to " << answer_letter(static_cast<Answer>(a)) << " reads as a card upright";
  for (uint32_t code = 0; code < (1u << 12); ++code) {
    std::vector<uint8_t> cells(25, 0);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 5; ++c) {
        const bool ring = r >= 1 && r <= 3 && c >= 1 && c <= 3 && !(r == 2 && c == 2);
        const bool corner = (r == 0 || r == 4) && (c == 0 || c == 4);
        cells[static_cast<size_t>(r * 5 + c)] = ring || corner;
      }
    int i = 0;  // the 12 border cells that are not corners
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 5; ++c) {
        const bool corner = (r == 0 || r == 4) && (c == 0 || c == 4);
        if ((r == 0 || c == 0 || r == 4 || c == 4) && !corner) cells[static_cast<size_t>(r * 5 + c)] = (code >> i++) & 1u;
      }
    const int n = number_by_the_rule(cells);
    if (n <= 0) continue;
    ++accepted;
    EXPECT_TRUE(deck_patterns.count(border_bits(cells))) << "card " << n;
  }
  EXPECT_EQ(accepted, 63);
}

TEST(PlickersDeck, DistanceIsTwoAndEveryRotationIsDistinct) {
  const Deck& d = plickers();
  EXPECT_EQ(d.min_distance, 2);
  EXPECT_EQ(measured_min_distance(d), 2);
  std::set<uint32_t> all;
  int best = 99, pairs_at_two = 0;
  std::vector<uint32_t> words;
  for (int n = 1; n <= d.cards(); ++n)
    for (int a = 0; a < 4; ++a) words.push_back(border_bits(card_cells(d, n, static_cast<Answer>(a))));
  for (uint32_t w : words) all.insert(w);
  EXPECT_EQ(all.size(), 252u);  // 63 cards x 4 answers, no two alike
  for (size_t i = 0; i < words.size(); ++i)
    for (size_t j = i + 1; j < words.size(); ++j) {
      const int dist = std::popcount(words[i] ^ words[j]);
      best = std::min(best, dist);
      pairs_at_two += dist == 2;
    }
  EXPECT_EQ(best, 2);
  EXPECT_GT(pairs_at_two, 0);
}

TEST(PlickersDeck, OneMisreadCellIsAlwaysRefusedNeverCorrected) {
  const Deck& d = plickers();
  for (int n = 1; n <= d.cards(); ++n)
    for (int a = 0; a < 4; ++a) {
      const auto cells = card_cells(d, n, static_cast<Answer>(a));
      for (int cell : d.data_cells) {
        auto bad = cells;
        bad[static_cast<size_t>(cell)] ^= 1;
        EXPECT_FALSE(identify(d, bad, 0)) << "card " << n;
        // At distance 2 a single flip is as close to two codewords in places: "correcting"
        // would guess. The scanner never asks for it on this deck (decode caps it at 0).
        const auto m = identify(d, bad, 1);
        if (m) {
          EXPECT_EQ(m->card, n);
        }
      }
    }
}

TEST(PlickersDeck, TwoMisreadCellsCanMakeAnotherCardWhichIsWhyItIsReadStrictly) {
  const Deck& d = plickers();
  int wrong = 0;
  const auto cells = card_cells(d, 1, Answer::A);
  for (size_t i = 0; i < d.data_cells.size(); ++i)
    for (size_t j = i + 1; j < d.data_cells.size(); ++j) {
      auto bad = cells;
      bad[static_cast<size_t>(d.data_cells[i])] ^= 1;
      bad[static_cast<size_t>(d.data_cells[j])] ^= 1;
      wrong += identify(d, bad, 0).has_value();
    }
  EXPECT_GT(wrong, 0);
  // ...so its read rules are stricter than the classroom deck's in every respect.
  const ReadRules& p = d.read_rules;
  const ReadRules& c = find_deck("classroom")->read_rules;
  EXPECT_GT(p.min_margin, c.min_margin);
  EXPECT_GT(p.min_cell_px, c.min_cell_px);
  EXPECT_GT(p.clear_cell_px, p.min_cell_px);
  EXPECT_GT(p.small_cell_margin, p.min_margin);
  EXPECT_GT(p.min_quiet_fraction, c.min_quiet_fraction);
  EXPECT_LT(p.small_corner_slack, c.small_corner_slack);
  EXPECT_GT(p.undisputed_ms, 0);
  EXPECT_EQ(c.undisputed_ms, 0);
}

// The smaller the card, the clearer its cells must read; under 14 px it is not read at all.
// Classroom asks the scanner's own margin at every size.
TEST(PlickersDeck, SmallCardsMustReadMoreClearly) {
  const ReadRules& p = find_deck("plickers")->read_rules;
  const ReadRules& c = find_deck("classroom")->read_rules;
  EXPECT_FALSE(required_margin(p, 0.15f, 2.7f).has_value());
  EXPECT_FLOAT_EQ(*required_margin(p, 0.15f, 2.8f), 0.5f);
  EXPECT_FLOAT_EQ(*required_margin(p, 0.15f, 3.6f), 0.375f);
  EXPECT_FLOAT_EQ(*required_margin(p, 0.15f, 4.4f), 0.25f);
  EXPECT_FLOAT_EQ(*required_margin(p, 0.15f, 12.0f), 0.25f);
  EXPECT_FLOAT_EQ(*required_margin(p, 0.3f, 12.0f), 0.3f);  // never below the scanner's own
  float last = 1;
  for (float px = 2.8f; px < 6; px += 0.1f) {
    const float m = *required_margin(p, 0.15f, px);
    EXPECT_LE(m, last) << px;
    last = m;
  }
  EXPECT_FLOAT_EQ(*required_margin(c, 0.15f, 1.5f), 0.15f);
  EXPECT_FLOAT_EQ(*required_margin(c, 0.15f, 9.0f), 0.15f);
}

TEST(PlickersDeck, LettersRunClockwiseAndTheAnswerIsTheEdgeOnTop) {
  // Held with B on top, the card's right column (top to bottom) is the top row (left to
  // right): a quarter turn counter-clockwise. C: upside down. D: the left edge on top.
  const Deck& d = plickers();
  for (int n = 1; n <= d.cards(); ++n) {
    const auto up = card_cells(d, n, Answer::A);
    const auto b = card_cells(d, n, Answer::B), c = card_cells(d, n, Answer::C), dd = card_cells(d, n, Answer::D);
    for (int k = 0; k < 5; ++k) {
      EXPECT_EQ(at(b, 0, k), at(up, k, 4));
      EXPECT_EQ(at(c, 0, k), at(up, 4, 4 - k));
      EXPECT_EQ(at(dd, 0, k), at(up, 4 - k, 0));
    }
    // The fixed white border cell (4,3), on the bottom edge upright, is on the right edge,
    // one below the top, when B is on top (the bottom edge has turned to the right).
    EXPECT_EQ(at(up, 4, 3), 0);
    EXPECT_EQ(at(b, 1, 4), 0);
    EXPECT_EQ(at(b, 4, 3), 1);  // ...and (4,3) now holds the fixed black (3,0)
  }
}

TEST(PlickersDeck, OverlapWithTheClassroomDeckIsMeasured) {
  const Deck& p = plickers();
  const Deck& c = *find_deck("classroom");
  const DeckOverlap o = deck_overlap(p, c);
  ASSERT_TRUE(o.same_geometry);
  // The fact: card 14 upright is classroom card 32 upright, and two more cards equal
  // classroom cards in some rotation.
  ASSERT_EQ(o.identical.size(), 3u);
  bool found14 = false;
  for (const SamePattern& s : o.identical) {
    EXPECT_EQ(card_cells(p, s.a_card, Answer::A), card_cells(c, s.b_card, s.b_answer));
    if (s.a_card == 14) {
      found14 = true;
      EXPECT_EQ(s.b_card, 32);
      EXPECT_EQ(s.b_answer, Answer::A);
    }
  }
  EXPECT_TRUE(found14);
  EXPECT_EQ(o.min_distance, 0);
  // One cell apart, brute force over cells.
  int one = 0;
  for (int n = 1; n <= p.cards(); ++n) {
    int nearest = 99;
    const uint32_t mine = border_bits(card_cells(p, n));
    for (int m = 1; m <= c.cards(); ++m)
      for (int a = 0; a < 4; ++a)
        nearest = std::min(nearest, std::popcount(mine ^ border_bits(card_cells(c, m, static_cast<Answer>(a)))));
    one += nearest == 1;
  }
  EXPECT_EQ(o.one_cell_apart, one);
  EXPECT_GT(one, 10);
  // Decks of other geometries are not compared.
  EXPECT_FALSE(deck_overlap(p, *find_deck("large")).same_geometry);
}
