// cardpoll decks: what decks exist, how many cards, their grid and distance.
#include <cstdio>

#include "app/cli.h"
#include "core/deck.h"

namespace cardpoll::app {
namespace {

int run_decks(const Context&, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  std::printf("%-10s %6s %6s %9s %9s  %s\n", "deck", "cards", "grid", "data bits", "distance", "for");
  for (const Deck& d : all_decks())
    std::printf("%-10s %6d %3dx%-2d %9d %9d  %s\n", std::string(d.name).c_str(), d.cards(), d.grid,
                d.grid, d.data_bits(), measured_min_distance(d), std::string(d.description).c_str());
  return 0;
}

const bool registered = register_command(
    {"decks", "list the printable card decks",
     "Usage: cardpoll decks\n\n"
     "Lists each deck: number of cards, grid, data cells, and the minimum Hamming distance\n"
     "between any two cards in any of their four rotations (recomputed, not stored).\n",
     run_decks});

}  // namespace
}  // namespace cardpoll::app
