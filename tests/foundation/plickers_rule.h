// The Plickers-format rule as the issue states it, cell by cell, written independently of
// tools/deckgen.cpp so tests can check the deck table and rendered patterns against it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace cardpoll::test_support {

// Card number of an upright 5x5 grid (row-major, 1 = black) by the printed rule, or -1 when
// a fixed cell or the parity is wrong. Fixed black: corners, the 8 cells around the centre,
// (0,1) (1,4) (3,0) (3,4); fixed white: (2,2) and (4,3); white = 1 in
// 32*(2,4) + 16*(0,3) + 8*(0,2) + 4*(1,0) + 2*(2,0) + 1*(4,1); (4,2) makes the white count
// of those seven cells odd.
inline int plickers_number_by_the_rule(const std::vector<uint8_t>& cells) {
  auto at = [&](int r, int c) { return cells[static_cast<size_t>(r * 5 + c)]; };
  for (auto [r, c] : {std::pair{0, 0}, {0, 4}, {4, 0}, {4, 4}, {1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 3},
                      {3, 1}, {3, 2}, {3, 3}, {0, 1}, {1, 4}, {3, 0}, {3, 4}})
    if (!at(r, c)) return -1;
  if (at(2, 2) || at(4, 3)) return -1;
  struct Weighted { int r, c, w; };
  int number = 0, whites = 0;
  for (Weighted d : {Weighted{2, 4, 32}, {0, 3, 16}, {0, 2, 8}, {1, 0, 4}, {2, 0, 2}, {4, 1, 1}})
    if (!at(d.r, d.c)) number += d.w, ++whites;
  whites += !at(4, 2);
  return whites % 2 == 1 ? number : -1;
}

}  // namespace cardpoll::test_support
