// deckgen: searches the card codebooks and writes core/deck_tables.cpp.
//
// Both decks use the ring geometry of core/deck.cpp: data cells on the border (corners
// excluded), numbered clockwise, so a quarter turn of a card is a cyclic shift of its
// code by one side (grid-2 bits). A code is admitted when it is at least `distance` away
// from every rotation of every admitted code and from its own three other rotations.
//
// The search is a randomized greedy over rotation classes (see search()); each seed
// breaks ties differently and the largest book is kept.
// Everything is deterministic: the PRNG and shuffle are written out here rather than
// taken from <random>, whose distributions differ between standard libraries.
//
// The `plickers` deck is not searched: it is the public rule printed on every card of the
// Plickers format (see plickers_code()), written out in the same ring code so the scanner
// reads it like the others. deckgen checks what the rule promises (63 cards, distance 2,
// every rotation distinct) and refuses to write a table that breaks it.
//
// Usage: deckgen [--seeds N] > core/deck_tables.cpp
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct SplitMix64 {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }  // bias is irrelevant here
};

struct Spec {
  const char* name;      // C++ identifier stem
  int grid;
  int distance;
  int min_weight, max_weight;  // black data cells allowed (keeps cards from being near-solid)
  int max_cards;               // 0 = as many as fit
};

uint32_t rotate(uint32_t x, int bits, int side, int turns) {
  const uint32_t mask = bits == 32 ? ~0u : ((1u << bits) - 1u);
  for (int t = 0; t < turns; ++t) x = ((x >> side) | (x << (bits - side))) & mask;
  return x;
}

// Rotation classes that may be cards at all: weight in range, far enough from their own
// rotations; one representative (the smallest rotation) per class.
std::vector<uint32_t> candidate_classes(const Spec& s) {
  const int side = s.grid - 2, bits = 4 * side;
  std::vector<uint32_t> out;
  for (uint32_t c = 0; c < (1u << bits); ++c) {
    const int w = std::popcount(c);
    if (w < s.min_weight || w > s.max_weight) continue;
    bool ok = true, smallest = true;
    for (int t = 1; t < 4; ++t) {
      const uint32_t r = rotate(c, bits, side, t);
      ok = ok && std::popcount(c ^ r) >= s.distance;
      smallest = smallest && c <= r;
    }
    if (ok && smallest) out.push_back(c);
  }
  return out;
}

// The book is an independent set of the "too close" graph over rotation classes. The
// min-degree greedy (take the class that rules out fewest others, ties broken by the
// seed) finds clearly larger sets than a random visiting order: 49 against 41 classroom
// cards under the same constraints.
std::vector<uint32_t> search(const Spec& s, const std::vector<uint32_t>& cls,
                             const std::vector<std::vector<int>>& adj, uint64_t seed) {
  const int n = static_cast<int>(cls.size());
  SplitMix64 rng{seed};
  std::vector<uint64_t> tie(static_cast<size_t>(n));
  for (auto& t : tie) t = rng.next();
  std::vector<char> alive(static_cast<size_t>(n), 1);
  std::vector<int> degree(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) degree[static_cast<size_t>(i)] = static_cast<int>(adj[static_cast<size_t>(i)].size());
  std::vector<uint32_t> book;
  for (;;) {
    int pick = -1;
    for (int i = 0; i < n; ++i) {
      const auto u = static_cast<size_t>(i);
      if (!alive[u]) continue;
      const auto p = static_cast<size_t>(pick);
      if (pick < 0 || degree[u] < degree[p] || (degree[u] == degree[p] && tie[u] < tie[p])) pick = i;
    }
    if (pick < 0 || (s.max_cards && static_cast<int>(book.size()) == s.max_cards)) break;
    book.push_back(cls[static_cast<size_t>(pick)]);
    alive[static_cast<size_t>(pick)] = 0;
    for (int j : adj[static_cast<size_t>(pick)]) {
      if (!alive[static_cast<size_t>(j)]) continue;
      alive[static_cast<size_t>(j)] = 0;
      for (int k : adj[static_cast<size_t>(j)]) --degree[static_cast<size_t>(k)];
    }
  }
  return book;
}

std::vector<uint32_t> best_book(const Spec& s, int seeds, uint64_t* used_seed) {
  const int side = s.grid - 2, bits = 4 * side;
  const auto cls = candidate_classes(s);
  std::vector<std::vector<int>> adj(cls.size());
  for (size_t i = 0; i < cls.size(); ++i)
    for (size_t j = i + 1; j < cls.size(); ++j) {
      bool close = false;
      for (int t = 0; t < 4 && !close; ++t)
        close = std::popcount(cls[i] ^ rotate(cls[j], bits, side, t)) < s.distance;
      if (close) {
        adj[i].push_back(static_cast<int>(j));
        adj[j].push_back(static_cast<int>(i));
      }
    }
  std::vector<uint32_t> best;
  for (int i = 0; i < seeds; ++i) {
    const uint64_t seed = static_cast<uint64_t>(i);
    auto b = search(s, cls, adj, seed);
    if (b.size() > best.size()) {
      best = std::move(b);
      *used_seed = seed;
    }
  }
  // Card numbers in code order: any fixed order would do; this one reads well in tables.
  std::sort(best.begin(), best.end());
  return best;
}

// Ring bit of border cell (r, c) of a g x g card: clockwise from (0, 1), as in core/deck.cpp.
int ring_bit(int g, int r, int c) {
  if (r == 0) return c - 1;                          // top, left to right
  if (c == g - 1) return (g - 2) + (r - 1);          // right, top to bottom
  if (r == g - 1) return 2 * (g - 2) + (g - 2 - c);  // bottom, right to left
  return 3 * (g - 2) + (g - 2 - r);                  // left, bottom to top
}

// The Plickers-format card `number` (1-63) as a 12-bit ring code (bit = 1: black cell).
// Cells (row, column) from the top-left with the A edge on top. On the border, beside the
// black corners (the ring and centre are the geometry's own fixed cells):
//   fixed black (0,1) (1,4) (3,0) (3,4); fixed white (4,3): no rotation of one card is
//   another rotation of any card;
//   data, white = 1: number = 32*(2,4) + 16*(0,3) + 8*(0,2) + 4*(1,0) + 2*(2,0) + 1*(4,1);
//   parity (4,2): the six data cells and it hold an odd number of white cells.
uint32_t plickers_code(int number) {
  constexpr int g = 5;
  struct Weighted { int r, c, weight; };
  static constexpr Weighted kData[] = {{2, 4, 32}, {0, 3, 16}, {0, 2, 8}, {1, 0, 4}, {2, 0, 2}, {4, 1, 1}};
  static constexpr int kBlack[][2] = {{0, 1}, {1, 4}, {3, 0}, {3, 4}};
  uint32_t code = 0;
  for (const auto& b : kBlack) code |= 1u << ring_bit(g, b[0], b[1]);
  int whites = 0;
  for (const Weighted& d : kData) {
    if (number & d.weight) ++whites;
    else code |= 1u << ring_bit(g, d.r, d.c);
  }
  if (whites % 2 == 1) code |= 1u << ring_bit(g, 4, 2);  // already odd: the parity cell is black
  return code;  // (4,3) stays white
}

// Minimum distance over every pair of (card, rotation) codewords, own rotations included.
int min_distance(const std::vector<uint32_t>& book, int grid) {
  const int side = grid - 2, bits = 4 * side;
  std::vector<uint32_t> words;
  for (uint32_t c : book)
    for (int t = 0; t < 4; ++t) words.push_back(rotate(c, bits, side, t));
  int best = bits + 1;
  for (size_t i = 0; i < words.size(); ++i)
    for (size_t j = i + 1; j < words.size(); ++j) best = std::min(best, std::popcount(words[i] ^ words[j]));
  return best;
}

void print_table(const char* name, int grid, const std::vector<uint32_t>& book, int distance,
                 const std::string& how) {
  std::printf("\n// %s: grid %d, %zu cards, min distance %d, %s\n", name, grid, book.size(), distance,
              how.c_str());
  std::printf("static const uint32_t k_%s[] = {", name);
  for (size_t i = 0; i < book.size(); ++i) std::printf("%s0x%04x,", i % 8 ? " " : "\n    ", book[i]);
  std::printf("\n};\n");
  std::printf("std::span<const uint32_t> %s_codes() { return k_%s; }\n", name, name);
  std::string cap = name;
  cap[0] = static_cast<char>(cap[0] - 'a' + 'A');
  std::printf("const int k%sDistance = %d;\n", cap.c_str(), distance);
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 300;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc) {
      seeds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: deckgen [--seeds N] > core/deck_tables.cpp\n");
      return 2;
    }
  }
  const Spec specs[] = {
      {"classroom", 5, 3, 3, 9, 0},
      {"large", 6, 4, 4, 12, 0},
  };
  std::printf("// Generated by tools/deckgen.cpp (deckgen --seeds %d). Do not edit:\n", seeds);
  std::printf("// printed cards depend on every bit. Tests pin the checksum of each deck.\n");
  std::printf("#include \"core/deck_tables.h\"\n\nnamespace cardpoll::deck_tables {\n");
  for (const Spec& s : specs) {
    uint64_t seed = 0;
    const auto book = best_book(s, s.grid == 5 ? seeds : std::max(1, seeds / 40), &seed);
    std::fprintf(stderr, "%s: %zu cards, grid %d, distance %d, seed %llu\n", s.name, book.size(),
                 s.grid, s.distance, static_cast<unsigned long long>(seed));
    print_table(s.name, s.grid, book, s.distance,
                "black data cells " + std::to_string(s.min_weight) + "-" + std::to_string(s.max_weight) +
                    ", seed " + std::to_string(seed));
  }
  // plickers: cards 1-63 of the printed rule, in number order.
  std::vector<uint32_t> plickers;
  for (int n = 1; n <= 63; ++n) plickers.push_back(plickers_code(n));
  const int pd = min_distance(plickers, 5);
  std::fprintf(stderr, "plickers: %zu cards, grid 5, distance %d (the printed rule)\n", plickers.size(), pd);
  if (pd != 2) {
    std::fprintf(stderr, "deckgen: the plickers rule gives distance %d, not 2: table not written\n", pd);
    return 1;
  }
  print_table("plickers", 5, plickers, pd, "the Plickers-format rule (plickers_code), cards 1-63");
  std::printf("\n}  // namespace cardpoll::deck_tables\n");
  return 0;
}
