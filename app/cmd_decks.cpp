// cardpoll decks: what decks exist, how many cards, their grid and distance, and which
// decks can be mistaken for each other.
#include <cstdio>
#include <string>

#include "app/cli.h"
#include "core/deck.h"

namespace cardpoll::app {
namespace {

// "14 (= classroom 32 held A), 30 (= classroom 7 held C)"
std::string same_pattern_list(const DeckOverlap& o, const Deck& b) {
  std::string s;
  for (const SamePattern& p : o.identical) {
    if (!s.empty()) s += ", ";
    s += std::to_string(p.a_card) + " (= " + std::string(b.name) + " " + std::to_string(p.b_card) + " held " +
         answer_letter(p.b_answer) + ")";
  }
  return s;
}

int run_decks(const Context&, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  std::printf("%-10s %6s %6s %9s %9s  %s\n", "deck", "cards", "grid", "data bits", "distance", "for");
  for (const Deck& d : all_decks()) {
    std::printf("%-10s %6d %3dx%-2d %9d %9d  %s\n", std::string(d.name).c_str(), d.cards(), d.grid,
                d.grid, d.data_bits(), measured_min_distance(d), std::string(d.description).c_str());
    if (!d.note.empty()) std::printf("%-46s  %s\n", "", std::string(d.note).c_str());
  }
  // Decks of one geometry overlap: a card of one shown to a class on the other is read as
  // that deck's card (a wrong student), so a room uses one of them only.
  bool header = false;
  const auto decks = all_decks();
  for (size_t i = 0; i < decks.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      const DeckOverlap o = deck_overlap(decks[i], decks[j]);
      if (!o.same_geometry) continue;
      if (!header) {
        std::printf("\nDecks of one geometry (never use both in one room: a card of one reads as a card of the other):\n");
        header = true;
      }
      const std::string a_name(decks[i].name), b_name(decks[j].name);
      std::printf("  %s and %s: %zu %s card%s the same pattern as a %s card%s%s; %d more one cell from a %s card\n",
                  a_name.c_str(), b_name.c_str(), o.identical.size(), a_name.c_str(),
                  o.identical.size() == 1 ? " is" : "s are", b_name.c_str(), o.identical.empty() ? "" : ": ",
                  same_pattern_list(o, decks[j]).c_str(), o.one_cell_apart, b_name.c_str());
    }
  return 0;
}

const bool registered = register_command(
    {"decks", "list the printable card decks",
     "Usage: cardpoll decks\n\n"
     "Lists each deck: number of cards, grid, data cells, and the minimum Hamming distance\n"
     "between any two cards in any of their four rotations (recomputed, not stored), and\n"
     "for decks of one geometry how many cards they share (the same pattern in some\n"
     "rotation) or nearly share (one cell apart), measured.\n\n"
     "Which deck: `classroom` for new cards (distance 3: one misread cell is caught and\n"
     "two never make another card); `large` for more than 49 students; `plickers` only\n"
     "for the Plickers-format cards a class already has (numbers 1-40 or 1-63, distance 2:\n"
     "read more strictly, so a little less range and a little slower to show answers).\n",
     run_decks});

}  // namespace
}  // namespace cardpoll::app
