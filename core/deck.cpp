#include "core/deck.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <mutex>
#include <stdexcept>

#include "core/deck_tables.h"

namespace cardpoll {

char answer_letter(Answer a) { return static_cast<char>('A' + static_cast<int>(a)); }

std::optional<Answer> answer_from_letter(char c) {
  if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 'a' + 'A');
  if (c < 'A' || c > 'D') return std::nullopt;
  return static_cast<Answer>(c - 'A');
}

namespace {

// The "ring" geometry shared by both decks: black corners (so the convex hull of the
// card is its square), data cells on the rest of the border, a black ring one cell in
// (a finder that is always closed whatever the data), and a white centre (the ring's hole).
// Data bits run clockwise from the top-left: top row left to right, right column top to
// bottom, bottom row right to left, left column bottom to top. A quarter turn of the card
// is then a cyclic shift of the bits by one side.
Deck ring_deck(std::string_view name, std::string_view description, int grid,
               std::span<const uint32_t> codes, int min_distance) {
  Deck d;
  d.name = name;
  d.description = description;
  d.grid = grid;
  d.codes = codes;
  d.min_distance = min_distance;
  d.layout.assign(static_cast<size_t>(grid * grid), CellKind::White);
  for (int r = 0; r < grid; ++r) {
    for (int c = 0; c < grid; ++c) {
      const bool border = r == 0 || c == 0 || r == grid - 1 || c == grid - 1;
      const bool corner = (r == 0 || r == grid - 1) && (c == 0 || c == grid - 1);
      const bool ring = !border && (r == 1 || c == 1 || r == grid - 2 || c == grid - 2);
      CellKind k = CellKind::White;
      if (corner || ring) k = CellKind::Black;
      else if (border) k = CellKind::Data;
      d.layout[static_cast<size_t>(r * grid + c)] = k;
    }
  }
  const int g = grid;
  for (int c = 1; c < g - 1; ++c) d.data_cells.push_back(c);                      // top
  for (int r = 1; r < g - 1; ++r) d.data_cells.push_back(r * g + g - 1);          // right
  for (int c = g - 2; c >= 1; --c) d.data_cells.push_back((g - 1) * g + c);       // bottom
  for (int r = g - 2; r >= 1; --r) d.data_cells.push_back(r * g);                 // left
  return d;
}

const std::vector<Deck>& decks() {
  static const std::vector<Deck> all = [] {
    std::vector<Deck> v;
    v.push_back(ring_deck("classroom",
                          "5x5 Plickers geometry, for classrooms", 5,
                          deck_tables::classroom_codes(), deck_tables::kClassroomDistance));
    v.push_back(ring_deck("large", "6x6 ring geometry, for lecture halls", 6,
                          deck_tables::large_codes(), deck_tables::kLargeDistance));
    // The Plickers-format cards (the public rule printed on them, tools/deckgen.cpp): the
    // classroom geometry with 5 of the 12 border cells fixed and one parity cell, so only
    // distance 2. One misread cell is always refused, but two make another card: these
    // rules make every read clearer and every answer wait for undisputed agreement
    // (docs/cards.md has what they cost).
    Deck p = ring_deck("plickers", "5x5 Plickers-format cards the class already has (1-40 or 1-63)", 5,
                       deck_tables::plickers_codes(), deck_tables::kPlickersDistance);
    p.note = "for cards the class already owns; new cards: print classroom (distance 3)";
    p.read_rules.min_margin = 0.25f;
    // Small cards read only when every cell is clear: 0.5 at 2.8 px a cell (14 px cards),
    // falling to 0.25 at 4.4 (22 px). bench/diag_margins measured it on 3000 frames of
    // 12-22 px cards read with no margin rule (docs/cards.md, "Smallest card").
    p.read_rules.min_cell_px = 2.8f;
    p.read_rules.clear_cell_px = 4.4f;
    p.read_rules.small_cell_margin = 0.5f;
    p.read_rules.min_quiet_fraction = 0.75f;
    p.read_rules.small_corner_slack = 0.0f;
    // Refined as classroom cards are (outside the hull, searched again at any size); the
    // reads such outlines add by a second chance must be confirmed (ReadRules).
    p.read_rules.confirm_second_chances = true;
    p.read_rules.min_agreeing_reads = 6;
    p.read_rules.undisputed_ms = 600;
    v.push_back(p);
    return v;
  }();
  return all;
}

// Codewords of every card in every rotation, in the order identify() scans them.
struct RotatedCode {
  uint32_t bits;
  int card;
  Answer answer;
};

const std::vector<RotatedCode>& rotated_codes(const Deck& deck) {
  // One table per deck; decks() is static so the pointer identity is stable.
  static std::vector<std::vector<RotatedCode>> tables(decks().size());
  static std::once_flag once;
  std::call_once(once, [] {
    const auto& all = decks();
    for (size_t i = 0; i < all.size(); ++i) {
      const Deck& d = all[i];
      for (int n = 1; n <= d.cards(); ++n) {
        for (int a = 0; a < 4; ++a) {
          const auto cells = card_cells(d, n, static_cast<Answer>(a));
          tables[i].push_back({data_bits_of(d, cells), n, static_cast<Answer>(a)});
        }
      }
    }
  });
  // By the deck's name and codes, so that a copy (a development tool trying other read
  // rules) has the table of the deck it copies.
  const auto& all = decks();
  for (size_t i = 0; i < all.size(); ++i)
    if (&all[i] == &deck || (all[i].name == deck.name && all[i].codes.data() == deck.codes.data())) return tables[i];
  throw std::invalid_argument("deck is not one of all_decks()");
}

}  // namespace

std::span<const Deck> all_decks() { return decks(); }

std::optional<float> required_margin(const ReadRules& rules, float scanner_margin, float cell_px) {
  if (cell_px < rules.min_cell_px) return std::nullopt;
  float m = std::max(scanner_margin, rules.min_margin);
  if (cell_px < rules.clear_cell_px && rules.clear_cell_px > rules.min_cell_px) {
    const float t = std::min(1.0f, (rules.clear_cell_px - cell_px) / (rules.clear_cell_px - rules.min_cell_px));
    m = std::max(m, rules.min_margin + t * (rules.small_cell_margin - rules.min_margin));
  }
  return m;
}

const Deck* find_deck(std::string_view name) {
  for (const Deck& d : decks())
    if (d.name == name) return &d;
  return nullptr;
}

std::string deck_names() {
  std::string s;
  for (const Deck& d : decks()) {
    if (!s.empty()) s += ", ";
    s += d.name;
  }
  return s;
}

std::vector<uint8_t> rotate_ccw(std::span<const uint8_t> cells, int n, int quarter_turns) {
  std::vector<uint8_t> cur(cells.begin(), cells.end());
  quarter_turns = ((quarter_turns % 4) + 4) % 4;
  for (int t = 0; t < quarter_turns; ++t) {
    std::vector<uint8_t> next(cur.size());
    // A counter-clockwise quarter turn takes the right column to the top row.
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) next[static_cast<size_t>(r * n + c)] = cur[static_cast<size_t>(c * n + (n - 1 - r))];
    cur.swap(next);
  }
  return cur;
}

std::vector<uint8_t> card_cells(const Deck& deck, int number, Answer answer) {
  if (number < 1 || number > deck.cards())
    throw std::out_of_range("card " + std::to_string(number) + " is not in deck '" +
                            std::string(deck.name) + "' (1-" + std::to_string(deck.cards()) + ")");
  const uint32_t code = deck.codes[static_cast<size_t>(number - 1)];
  std::vector<uint8_t> cells(deck.layout.size(), 0);
  for (size_t i = 0; i < deck.layout.size(); ++i) cells[i] = deck.layout[i] == CellKind::Black;
  for (int b = 0; b < deck.data_bits(); ++b)
    cells[static_cast<size_t>(deck.data_cells[static_cast<size_t>(b)])] = (code >> b) & 1u;
  return rotate_ccw(cells, deck.grid, static_cast<int>(answer));
}

uint32_t data_bits_of(const Deck& deck, std::span<const uint8_t> cells) {
  uint32_t bits = 0;
  for (int b = 0; b < deck.data_bits(); ++b)
    if (cells[static_cast<size_t>(deck.data_cells[static_cast<size_t>(b)])]) bits |= 1u << b;
  return bits;
}

std::optional<CardMatch> identify(const Deck& deck, std::span<const uint8_t> cells,
                                  int max_data_errors, int max_fixed_errors) {
  if (cells.size() != deck.layout.size()) return std::nullopt;
  int fixed_errors = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (deck.layout[i] == CellKind::Data) continue;
    if ((cells[i] != 0) != (deck.layout[i] == CellKind::Black)) ++fixed_errors;
  }
  if (fixed_errors > max_fixed_errors) return std::nullopt;
  const uint32_t seen = data_bits_of(deck, cells);
  int best = 1 << 20, second = 1 << 20;
  const RotatedCode* best_code = nullptr;
  for (const RotatedCode& rc : rotated_codes(deck)) {
    const int d = std::popcount(seen ^ rc.bits);
    if (d < best) {
      second = best;
      best = d;
      best_code = &rc;
    } else if (d < second) {
      second = d;
    }
  }
  if (!best_code || best > max_data_errors || second == best) return std::nullopt;
  return CardMatch{best_code->card, best_code->answer, best, fixed_errors};
}

int measured_min_distance(const Deck& deck) {
  const auto& rc = rotated_codes(deck);
  int best = deck.data_bits() + 1;
  for (size_t i = 0; i < rc.size(); ++i)
    for (size_t j = i + 1; j < rc.size(); ++j)
      best = std::min(best, std::popcount(rc[i].bits ^ rc[j].bits));
  return best;
}

DeckOverlap deck_overlap(const Deck& a, const Deck& b) {
  DeckOverlap o;
  o.same_geometry = a.grid == b.grid && a.layout == b.layout && a.data_cells == b.data_cells;
  if (!o.same_geometry) return o;
  const auto& theirs = rotated_codes(b);
  o.min_distance = a.data_bits() + 1;
  for (int n = 1; n <= a.cards(); ++n) {
    const uint32_t mine = data_bits_of(a, card_cells(a, n, Answer::A));
    int nearest = a.data_bits() + 1;
    for (const RotatedCode& rc : theirs) {
      const int d = std::popcount(mine ^ rc.bits);
      if (d == 0) o.identical.push_back({n, rc.card, rc.answer});
      nearest = std::min(nearest, d);
    }
    // Upright is enough: a rotation of card n is as far from b as n is (b has every rotation).
    o.min_distance = std::min(o.min_distance, nearest);
    if (nearest == 1) ++o.one_cell_apart;
  }
  return o;
}

uint64_t deck_checksum(const Deck& deck) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) {
      h ^= (v >> (8 * i)) & 0xffu;
      h *= 1099511628211ull;
    }
  };
  for (char c : deck.name) mix(static_cast<unsigned char>(c), 1);
  mix(static_cast<uint64_t>(deck.grid), 4);
  for (CellKind k : deck.layout) mix(static_cast<uint64_t>(k), 1);
  for (int c : deck.data_cells) mix(static_cast<uint64_t>(c), 4);
  for (uint32_t c : deck.codes) mix(c, 4);
  return h;
}

std::vector<int> parse_card_range(std::string_view text, int max_card) {
  std::vector<int> out;
  auto parse_int = [&](std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size())
      throw std::invalid_argument("'" + std::string(s) + "' in card range '" + std::string(text) +
                                  "' is not a number");
    if (v < 1 || v > max_card)
      throw std::invalid_argument("card " + std::to_string(v) + " in card range '" +
                                  std::string(text) + "' is outside the deck (1-" +
                                  std::to_string(max_card) + ")");
    return v;
  };
  if (text.empty()) throw std::invalid_argument("empty card range");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(start, comma - start);
    const size_t dash = part.find('-');
    if (dash == std::string_view::npos) {
      out.push_back(parse_int(part));
    } else {
      const int a = parse_int(part.substr(0, dash));
      const int b = parse_int(part.substr(dash + 1));
      if (b < a)
        throw std::invalid_argument("card range '" + std::string(part) + "' runs backwards");
      for (int v = a; v <= b; ++v) out.push_back(v);
    }
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace cardpoll
