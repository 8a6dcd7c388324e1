// The codebooks: distances, identification under misreads, and the pinned checksums that
// keep every printed card readable by every later version.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <set>

#include "core/deck.h"

using namespace cardpoll;

namespace {

// Distance computed straight from the cell grids (independent of identify's tables).
int data_distance(const Deck& d, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int n = 0;
  for (int c : d.data_cells) n += a[static_cast<size_t>(c)] != b[static_cast<size_t>(c)];
  return n;
}

}  // namespace

TEST(Deck, DecksExistWithTheirSizes) {
  const Deck* classroom = find_deck("classroom");
  const Deck* large = find_deck("large");
  ASSERT_TRUE(classroom && large);
  EXPECT_EQ(classroom->grid, 5);
  EXPECT_EQ(classroom->data_bits(), 12);
  EXPECT_GE(classroom->cards(), 40);
  EXPECT_GE(large->cards(), 100);
  EXPECT_EQ(find_deck("nope"), nullptr);
  EXPECT_EQ(deck_names(), "classroom, large, plickers");
  const Deck* plickers = find_deck("plickers");
  ASSERT_TRUE(plickers);
  EXPECT_EQ(plickers->cards(), 63);
  EXPECT_EQ(plickers->grid, 5);
}

TEST(Deck, ClassroomHasThePlickersFixedCells) {
  const Deck& d = *find_deck("classroom");
  auto at = [&](int r, int c) { return d.layout[static_cast<size_t>(r * 5 + c)]; };
  EXPECT_EQ(at(2, 2), CellKind::White);
  for (int r = 1; r <= 3; ++r)
    for (int c = 1; c <= 3; ++c)
      if (r != 2 || c != 2) {
        EXPECT_EQ(at(r, c), CellKind::Black) << r << "," << c;
      }
  for (int r : {0, 4})
    for (int c : {0, 4}) EXPECT_EQ(at(r, c), CellKind::Black);
  int data = 0;
  for (auto k : d.layout) data += k == CellKind::Data;
  EXPECT_EQ(data, 12);
}

TEST(Deck, EveryPairOfCodewordsInEveryRotationIsFarEnough) {
  for (const Deck& d : all_decks()) {
    std::vector<std::vector<uint8_t>> words;
    for (int n = 1; n <= d.cards(); ++n)
      for (int a = 0; a < 4; ++a) words.push_back(card_cells(d, n, static_cast<Answer>(a)));
    int best = 99;
    for (size_t i = 0; i < words.size(); ++i)
      for (size_t j = i + 1; j < words.size(); ++j) best = std::min(best, data_distance(d, words[i], words[j]));
    EXPECT_EQ(best, d.min_distance) << d.name;
    // Only the deck for cards a class already owns may be closer than 3.
    EXPECT_GE(best, d.name == "plickers" ? 2 : 3) << d.name;
    EXPECT_EQ(best, measured_min_distance(d)) << d.name;
  }
}

TEST(Deck, RotationIsCounterClockwiseQuarterTurns) {
  // 3x3 grid with one black cell at the right-middle: a quarter turn counter-clockwise
  // brings the right edge to the top.
  std::vector<uint8_t> g = {0, 0, 0, 0, 0, 1, 0, 0, 0};
  auto r = rotate_ccw(g, 3, 1);
  EXPECT_EQ(r, (std::vector<uint8_t>{0, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(rotate_ccw(g, 3, 4), g);
  EXPECT_EQ(rotate_ccw(rotate_ccw(g, 3, 1), 3, 3), g);
}

TEST(Deck, IdentifiesEveryCardInEveryRotation) {
  for (const Deck& d : all_decks())
    for (int n = 1; n <= d.cards(); ++n)
      for (int a = 0; a < 4; ++a) {
        auto m = identify(d, card_cells(d, n, static_cast<Answer>(a)), 0);
        ASSERT_TRUE(m) << d.name << " card " << n;
        EXPECT_EQ(m->card, n);
        EXPECT_EQ(static_cast<int>(m->answer), a);
        EXPECT_EQ(m->distance, 0);
      }
}

TEST(Deck, SingleCellMisreadIsCorrectedOrRefusedNeverWrong) {
  const Deck& d = *find_deck("classroom");
  for (int n = 1; n <= d.cards(); ++n)
    for (int a = 0; a < 4; ++a) {
      const auto cells = card_cells(d, n, static_cast<Answer>(a));
      for (size_t i = 0; i < cells.size(); ++i) {
        auto bad = cells;
        bad[i] ^= 1;
        if (d.layout[i] == CellKind::Data) {
          // Exact matching refuses; one correction finds the right card and answer.
          EXPECT_FALSE(identify(d, bad, 0));
          auto m = identify(d, bad, 1);
          ASSERT_TRUE(m);
          EXPECT_EQ(m->card, n);
          EXPECT_EQ(static_cast<int>(m->answer), a);
        } else {
          EXPECT_FALSE(identify(d, bad, 1, 0)) << "fixed cell " << i;
          auto m = identify(d, bad, 0, 1);
          ASSERT_TRUE(m);
          EXPECT_EQ(m->card, n);
          EXPECT_EQ(m->fixed_errors, 1);
        }
      }
    }
}

TEST(Deck, TwoCellMisreadsNeverMatchAnotherCardExactly) {
  for (const Deck& d : all_decks()) {
    if (d.min_distance < 3) continue;  // plickers: see test_plickers_deck.cpp
    const int step = d.cards() > 100 ? 7 : 1;  // the large deck: a sample keeps this quick
    for (int n = 1; n <= d.cards(); n += step)
      for (int a = 0; a < 4; ++a) {
        const auto cells = card_cells(d, n, static_cast<Answer>(a));
        for (size_t i = 0; i < d.data_cells.size(); ++i)
          for (size_t j = i + 1; j < d.data_cells.size(); ++j) {
            auto bad = cells;
            bad[static_cast<size_t>(d.data_cells[i])] ^= 1;
            bad[static_cast<size_t>(d.data_cells[j])] ^= 1;
            EXPECT_FALSE(identify(d, bad, 0)) << d.name << " card " << n;
          }
      }
  }
}

TEST(Deck, RefusesWrongSizedGrids) {
  const Deck& d = *find_deck("classroom");
  std::vector<uint8_t> small(9, 0);
  EXPECT_FALSE(identify(d, small, 2, 2));
  EXPECT_THROW(card_cells(d, 0), std::out_of_range);
  EXPECT_THROW(card_cells(d, d.cards() + 1), std::out_of_range);
}

// Printed cards depend on these: a change here means every laminated card in every
// classroom reads differently. Never update these numbers; add a new deck instead.
TEST(Deck, ChecksumsArePinned) {
  EXPECT_EQ(deck_checksum(*find_deck("classroom")), 0x1293ce5565b71c97ull) << std::hex << deck_checksum(*find_deck("classroom"));
  EXPECT_EQ(deck_checksum(*find_deck("large")), 0xd580221361c33d37ull) << std::hex << deck_checksum(*find_deck("large"));
  EXPECT_EQ(deck_checksum(*find_deck("plickers")), 0x671d8d5234d41822ull) << std::hex << deck_checksum(*find_deck("plickers"));
}

TEST(CardRange, ParsesListsAndRanges) {
  EXPECT_EQ(parse_card_range("1-3", 10), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(parse_card_range("5,1-2,2", 10), (std::vector<int>{1, 2, 5}));
  EXPECT_EQ(parse_card_range("7", 7), (std::vector<int>{7}));
}

TEST(CardRange, NamesTheBadValue) {
  auto msg = [](const char* text) {
    try {
      parse_card_range(text, 49);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(msg("1-60").find("card 60"), std::string::npos);
  EXPECT_NE(msg("0").find("card 0"), std::string::npos);
  EXPECT_NE(msg("x").find("'x'"), std::string::npos);
  EXPECT_NE(msg("5-2").find("backwards"), std::string::npos);
  EXPECT_NE(msg("1,,2").find("not a number"), std::string::npos);
  EXPECT_NE(msg("").find("empty"), std::string::npos);
}

TEST(Answer, Letters) {
  EXPECT_EQ(answer_letter(Answer::C), 'C');
  EXPECT_EQ(answer_from_letter('b'), Answer::B);
  EXPECT_FALSE(answer_from_letter('E'));
}
