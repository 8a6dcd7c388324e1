// diag_margins: how clearly must a small card's cells read for a deck's reads to stay right?
// (development aid; docs/cards.md, "Smallest card").
//   build/bench/diag_margins [typical|hard|wild] [frames] [deck] [max_side] [min_side] [first_frame]
// Then the same reads under the deck's own rules (or RULE="min_cell_px clear_cell_px
// small_cell_margin"): recall by card width, wrong reads kept, the nearest wrong read.
// With CSV_OUT=file, every card shown ("card,side") and every read ("read,truth side or -1,
// px a cell,margin,right") go to that file.
// Reads frames with the deck's margin and size rules switched off (every other rule kept),
// then tells, per pixels-a-cell band of the read and per margin a rule could ask for, how
// many right and wrong reads that rule would keep. Wrong reads are rare at the deck's own
// rules; with the margin at 0 they are common enough to show how fast they die out as the
// margin asked for grows, band by band. The frames are not bench_scanner's nor the hunt's
// (seed 200000 x (setting + 1) + f), so a rule derived here is checked on frames it was not
// derived from.
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "scanner/read_cards.h"
#include "bench/frames.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;

namespace {

struct Seen {
  float truth_side;  // -1: no card there
  float cell_px, margin;
  bool right;
};

// Recall by card width and the wrong reads kept under `rules` (the scanner's own margin
// below them), and how close the nearest wrong read came to being kept.
void print_rule(const ReadRules& rules, const std::vector<float>& cards, const std::vector<Seen>& seen) {
  constexpr float kWidths[] = {12, 14, 16, 18, 20, 22, 28, 64};
  constexpr int n = static_cast<int>(std::size(kWidths)) - 1;
  int shown[n] = {}, kept[n] = {}, wrong = 0;
  float nearest = 1;
  for (float side : cards)
    for (int b = 0; b < n; ++b) shown[b] += side >= kWidths[b] && side < kWidths[b + 1];
  for (const auto& r : seen) {
    const auto asked = required_margin(rules, DetectParams{}.min_margin, r.cell_px);
    if (!asked) continue;
    if (!r.right) {
      nearest = std::min(nearest, *asked - r.margin);
      wrong += r.margin >= *asked;
      continue;
    }
    if (r.margin < *asked) continue;
    for (int b = 0; b < n; ++b) kept[b] += r.truth_side >= kWidths[b] && r.truth_side < kWidths[b + 1];
  }
  std::printf("\nunder min_cell_px %.2f, clear_cell_px %.2f, small_cell_margin %.2f, min_margin %.2f:\n|", rules.min_cell_px,
              rules.clear_cell_px, rules.small_cell_margin, rules.min_margin);
  for (int b = 0; b < n; ++b) std::printf(" %.0f-%.0f px |", kWidths[b], kWidths[b + 1]);
  std::printf(" wrong reads kept | nearest wrong read, margin under the rule |\n|");
  for (int b = 0; b < n + 2; ++b) std::printf("---|");
  std::printf("\n|");
  for (int b = 0; b < n; ++b) std::printf(" %.1f%% of %d |", shown[b] ? 100.0 * kept[b] / shown[b] : 0.0, shown[b]);
  if (nearest < 1)
    std::printf(" %d | %.2f |\n", wrong, nearest);
  else
    std::printf(" %d | none at a size read |\n", wrong);
}

constexpr float kBands[] = {1.6f, 2.0f, 2.4f, 2.8f, 3.2f, 3.6f, 4.0f, 4.8f, 6.0f};
constexpr int kNumBands = static_cast<int>(std::size(kBands)) - 1;
constexpr float kMargins[] = {0.0f, 0.10f, 0.15f, 0.20f, 0.25f, 0.30f, 0.35f, 0.40f, 0.45f, 0.50f, 0.55f, 0.60f};
constexpr int kNumMargins = static_cast<int>(std::size(kMargins));

int band_of(float cell_px) {
  for (int b = 0; b < kNumBands; ++b)
    if (cell_px >= kBands[b] && cell_px < kBands[b + 1]) return b;
  return -1;
}

float cell_px_of(const std::array<cv::Point2f, 4>& q, int grid) {
  float perimeter = 0;
  for (int i = 0; i < 4; ++i) perimeter += static_cast<float>(cv::norm(q[static_cast<size_t>(i)] - q[static_cast<size_t>((i + 1) % 4)]));
  return perimeter / 4 / static_cast<float>(grid);
}

}  // namespace

int main(int argc, char** argv) {
  const auto setting = scenes::difficulty_from_name(argc > 1 ? argv[1] : "typical");
  const int frames = argc > 2 ? std::atoi(argv[2]) : 100;
  const Deck* named = find_deck(argc > 3 ? argv[3] : "plickers");
  const float max_side = argc > 4 ? static_cast<float>(std::atof(argv[4])) : 30;
  const float min_side = argc > 5 ? static_cast<float>(std::atof(argv[5])) : 8;
  const int first = argc > 6 ? std::atoi(argv[6]) : 0;
  if (!named) {
    std::fprintf(stderr, "no deck %s (%s)\n", argv[3], deck_names().c_str());
    return 2;
  }
  Deck deck = *named;  // the same deck, its margin and size rules off
  deck.read_rules.min_margin = 0;
  deck.read_rules.min_cell_px = 0;
  deck.read_rules.clear_cell_px = 0;
  DetectParams params;
  params.deck = &deck;
  params.min_margin = 0;

  // CSV_OUT: every card shown and every read, for trying rules offline.
  FILE* csv = std::getenv("CSV_OUT") ? std::fopen(std::getenv("CSV_OUT"), "w") : nullptr;
  int right[kNumBands][kNumMargins] = {}, wrong[kNumBands][kNumMargins] = {};
  int shown[kNumBands] = {};
  std::vector<float> cards_shown;  // sides
  std::vector<Seen> seen;
  for (int f = first; f < first + frames; ++f) {
    const auto spec = bench::frame_spec(setting, 200000 * (static_cast<uint64_t>(setting) + 1) + static_cast<uint64_t>(f),
                                        min_side, max_side, named);
    const auto s = scenes::render_scene(spec);
    for (const auto& t : s.truth) {
      if (csv) std::fprintf(csv, "card,%.2f\n", t.side_px);
      cards_shown.push_back(t.side_px);
      const int b = band_of(t.side_px / static_cast<float>(deck.grid));
      if (b >= 0) ++shown[b];
    }
    std::vector<int> times_read(s.truth.size(), 0);
    for (const auto& r : read_cards(s.gray, params)) {
      const cv::Point2f rc = bench::centre_of(r.corners);
      const int best = bench::shown_card_at(s, rc);
      const bool ok = best >= 0 && s.truth[static_cast<size_t>(best)].card == r.card &&
                      s.truth[static_cast<size_t>(best)].answer == r.answer &&
                      ++times_read[static_cast<size_t>(best)] == 1;
      const float cell_px = cell_px_of(r.corners, deck.grid);
      const float truth_side = best < 0 ? -1.0f : s.truth[static_cast<size_t>(best)].side_px;
      if (csv) std::fprintf(csv, "read,%.2f,%.3f,%.3f,%d\n", truth_side, cell_px, r.margin, ok ? 1 : 0);
      seen.push_back({truth_side, cell_px, r.margin, ok});
      const int b = band_of(cell_px);
      if (b < 0) continue;
      for (int m = 0; m < kNumMargins; ++m)
        if (r.margin >= kMargins[m]) ++(ok ? right : wrong)[b][m];
      if (!ok)
        std::printf("frame %d: wrong read card %d %c, %.2f px a cell, margin %.2f%s\n", f, r.card, answer_letter(r.answer),
                    cell_px, r.margin, best < 0 ? " (no card there)" : "");
    }
  }
  if (csv) std::fclose(csv);
  std::printf("\n%s, deck %s, %d frames: right / wrong reads kept if every cell must read at least this clearly\n",
              scenes::difficulty_name(setting), named->name.data(), frames);
  std::printf("| px a cell | cards |");
  for (float m : kMargins) std::printf(" %.2f |", m);
  std::printf("\n|---|---|");
  for (int m = 0; m < kNumMargins; ++m) std::printf("---|");
  std::printf("\n");
  for (int b = 0; b < kNumBands; ++b) {
    std::printf("| %.1f-%.1f | %d |", kBands[b], kBands[b + 1], shown[b]);
    for (int m = 0; m < kNumMargins; ++m) std::printf(" %d / %d |", right[b][m], wrong[b][m]);
    std::printf("\n");
  }
  // RULE="min_cell_px clear_cell_px small_cell_margin": try another rule on the same reads.
  ReadRules rules = named->read_rules;
  if (const char* r = std::getenv("RULE"))
    std::sscanf(r, "%f %f %f", &rules.min_cell_px, &rules.clear_cell_px, &rules.small_cell_margin);
  print_rule(rules, cards_shown, seen);
}
