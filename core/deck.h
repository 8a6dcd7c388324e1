// Cards as numbers: the printed decks and their codebooks.
//
// A card is a square grid of black and white cells. Some cells are fixed and the same on
// every card of a deck (they let the scanner find and orient-free locate the card); the
// rest are data cells whose pattern names the card. A student answers by turning the card
// so the letter of their answer is on top, so every codeword must stay distinct from every
// other card's in all four rotations, and from its own other three rotations.
//
// The codebooks are generated data (tools/deckgen.cpp writes core/deck_tables.cpp) and must
// never change once cards are printed: tests pin a checksum of every table.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cardpoll {

// The four answers. Upright card (A on top) is A. Printed letters sit clockwise:
// A top, B right, C bottom, D left. To answer B the student turns the card a quarter
// turn counter-clockwise, which brings the right edge (B) to the top.
enum class Answer : uint8_t { A = 0, B = 1, C = 2, D = 3 };
char answer_letter(Answer a);
std::optional<Answer> answer_from_letter(char c);

// What a cell of the grid is on every card of the deck.
enum class CellKind : uint8_t { Black, White, Data };

// How strictly cardpoll reads a deck's cards. Data, not code: the scanner's decode stage
// and the tracker read these, so a deck whose codewords lie closer together (fewer cells
// must be misread at once to turn one card into another) asks for clearer reads and more
// agreement before an answer counts. Each value only ever raises the scanner's own
// setting. Tuning them changes no printed card, so they are outside the pinned checksum.
struct ReadRules {
  float min_margin = 0;          // decode: how clearly every cell must read (0..1)
  // decode: cards with fewer pixels per cell than this are not read (0: any size).
  float min_cell_px = 0;
  // decode: under clear_cell_px pixels a cell every cell must read more clearly, the margin
  // asked for rising linearly from min_margin there to small_cell_margin at min_cell_px.
  // At 2-4 px a cell, blur, chroma subsampling and JPEG decide a cell by its neighbours and
  // two cells can go wrong together, which at distance 2 is another card; the clearer the
  // cells must read, the rarer that is (docs/cards.md, "Smallest card"). 0: off.
  float clear_cell_px = 0;
  float small_cell_margin = 0;
  float min_quiet_fraction = 0;  // decode: share of the white quiet zone that must show
  // decode: on small cards (< 5 px a cell) the corner cells blur into the white quiet zone,
  // so they may read up to this many half-contrasts lighter than the threshold (the
  // scanner's own allowance is 0.5: "clearly darker than white"); 0: they must read black.
  float small_corner_slack = 0.5f;
  // refine: an outline found more than half a cell off its hull is searched again from
  // itself on cards of this many pixels a cell and more (0: any, every deck today).
  float search_again_min_cell_px = 0;
  // read: on a deck where two misread cells make another card (plickers, distance 2), the
  // reads that come by a second chance stand only when confirmed (scanner/read_cards.cpp):
  // no hull read of an outline already refused; a glare read under clear_cell_px only if
  // the whole-pattern fit ranks no other card first; after a quad of a candidate was refused
  // for its shape, another quad's read only if the whole-pattern fit has no doubt. Each
  // stopped one wrong read in the plickers hunts once the deck refined as classroom does
  // (docs/cards.md, thirteenth pass).
  bool confirm_second_chances = false;
  // decode: a small card refused cell by cell may be read as a whole pattern, its blur
  // included (scanner/decode_blurred.cpp), from min_cell_px. On for every deck: the fit
  // refuses any pattern one cell from a card that fits better than the card, which at
  // plickers' distance 2 is the misread that matters (docs/cards.md).
  bool whole_pattern_reads = true;
  int min_agreeing_reads = 0;    // tracker: reads of one answer before it counts
  // tracker: an answer counts only when, for this long, the card was read no other way
  // and no other card was read at its place (0: off).
  int64_t undisputed_ms = 0;
};

// How clearly every cell of a card `cell_px` pixels a cell must read under `rules`, and at
// least `scanner_margin` (the scanner's own); nullopt when the card is too small to read.
std::optional<float> required_margin(const ReadRules& rules, float scanner_margin, float cell_px);

struct Deck {
  std::string_view name;
  std::string_view description;
  int grid = 0;                         // cells per side
  std::vector<CellKind> layout;         // grid*grid, row-major, upright
  std::vector<int> data_cells;          // cell index (row*grid+col) of data bit i
  std::span<const uint32_t> codes;      // codes[n-1] = data bits of card n, upright
  int min_distance = 0;                 // design distance the generator guaranteed
  ReadRules read_rules;                 // how strictly the scanner reads it
  // For the teacher choosing a deck (cardpoll decks, docs/cards.md); empty when nothing
  // beyond the description needs saying.
  std::string_view note;

  int cards() const { return static_cast<int>(codes.size()); }
  int data_bits() const { return static_cast<int>(data_cells.size()); }
};

// All decks, in a stable order ("classroom" first).
std::span<const Deck> all_decks();
// nullptr when there is no such deck.
const Deck* find_deck(std::string_view name);
// Comma-separated deck names, for error messages.
std::string deck_names();

// Cell colours of card `number` (1-based) as seen when the card is held with `answer` on
// top: grid*grid values, row-major, 1 = black, 0 = white. Throws std::out_of_range for a
// number outside the deck.
std::vector<uint8_t> card_cells(const Deck& deck, int number, Answer answer = Answer::A);

// Rotates a row-major n*n grid a quarter turn counter-clockwise `quarter_turns` times.
std::vector<uint8_t> rotate_ccw(std::span<const uint8_t> cells, int n, int quarter_turns);

// Data bits of a grid of observed cell colours (1 = black), read in upright data order.
uint32_t data_bits_of(const Deck& deck, std::span<const uint8_t> cells);

// The result of matching an observed grid (as seen, image top = top) to the codebook.
struct CardMatch {
  int card = 0;            // 1-based card number
  Answer answer = Answer::A;
  int distance = 0;        // data cells that disagree with the codeword
  int fixed_errors = 0;    // fixed cells that disagree with the deck layout
};

// Best match of an observed grid over all cards and rotations, if the best one is within
// `max_data_errors` data cells and `max_fixed_errors` fixed cells, and no other
// card/rotation is as close (ties are refused, never guessed).
std::optional<CardMatch> identify(const Deck& deck, std::span<const uint8_t> cells,
                                  int max_data_errors, int max_fixed_errors = 0);

// Minimum Hamming distance over every pair of distinct (card, rotation) codewords,
// including a card against its own other rotations. Recomputed by tests and deckgen.
int measured_min_distance(const Deck& deck);

// FNV-1a over the deck name, grid, layout, data cell order and codes: pinned by tests so a
// printed card stays readable by every later version.
uint64_t deck_checksum(const Deck& deck);

// Where two decks of one geometry can be mistaken for each other: a card of one deck shown
// to a class on the other reads as the other deck's card. Cards of `a` that equal a card of
// `b` in some rotation, and cards of `a` one cell away from a rotation of a card of `b`.
struct SamePattern {
  int a_card = 0;          // card of deck a, upright (answer A)...
  int b_card = 0;          // ...is this card of deck b...
  Answer b_answer = Answer::A;  // ...held with this answer on top
};
struct DeckOverlap {
  bool same_geometry = false;        // same grid and fixed cells; nothing else is counted
  std::vector<SamePattern> identical;  // by a_card
  int one_cell_apart = 0;            // cards of a, not identical, one cell from a card of b
  int min_distance = 0;              // smallest distance from a codeword of a to one of b
};
DeckOverlap deck_overlap(const Deck& a, const Deck& b);

// Parses "1-30", "5", "1-10,12,15-20" into card numbers; throws std::invalid_argument
// naming the bad part or the number outside 1..max_card.
std::vector<int> parse_card_range(std::string_view text, int max_card);

}  // namespace cardpoll
