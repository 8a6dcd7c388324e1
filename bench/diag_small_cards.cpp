// diag_small_cards: wrong and right reads of small cards alone, through read_cards with the
// deck's own rules, without the two decoders' agreement check and without the whole-pattern
// decoder (development aid; docs/scanner.md, items 16-18), and what the whole-pattern fit
// says of each read in its size window when the agreement is not asked.
//   build/bench/diag_small_cards [typical|hard|wild] [frames] [deck] [min_side] [max_side]
// Frames of 40 cards of min_side-max_side px (default 12-22), seeds 200000 x (setting + 1) +
// frame as diag_margins uses (not bench_scanner's table frames): the sizes where cells blur
// into each other and the deck's code is most at risk, many more of them than a hunt's
// 8-64 px frames hold. Every wrong read is listed.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <map>
#include <utility>

#include "bench/frames.h"
#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;

int main(int argc, char** argv) {
  const std::string setting = argc > 1 ? argv[1] : "hard";
  const int frames = argc > 2 ? std::atoi(argv[2]) : 100;
  const Deck* deck = find_deck(argc > 3 ? argv[3] : "plickers");
  const float min_side = argc > 4 ? static_cast<float>(std::atof(argv[4])) : 12.0f;
  const float max_side = argc > 5 ? static_cast<float>(std::atof(argv[5])) : 22.0f;
  if (!deck) {
    std::fprintf(stderr, "no such deck\n");
    return 2;
  }
  const auto d = scenes::difficulty_from_name(setting);
  long shown = 0, right = 0, wrong = 0, right_without = 0, wrong_without = 0, right_unchecked = 0, wrong_unchecked = 0;
  // Reads made without the two decoders' agreement check, by what the whole-pattern fit
  // says of them: right and wrong reads per doubt ("agrees" when none).
  std::map<std::string, std::pair<long, long>> doubts;
  for (int f = 0; f < frames; ++f) {
    const auto spec = bench::frame_spec(d, 200000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f),
                                        min_side, max_side, deck);
    const auto s = scenes::render_scene(spec);
    shown += static_cast<long>(s.truth.size());
    for (const int run : {0, 1, 2}) {  // as read; without the agreement check; without the fit at all
      DetectParams params;
      params.deck = deck;
      if (run == 1) params.small_reads_agree = false;
      if (run == 2) params.blurred_max_cell_px = 0;
      for (const auto& r : read_cards(s.gray, params)) {
        const int b = bench::shown_card_at(s, bench::centre_of(r.corners));
        const bool ok = b >= 0 && s.truth[static_cast<size_t>(b)].card == r.card &&
                        s.truth[static_cast<size_t>(b)].answer == r.answer;
        if (run == 2) {
          (ok ? right_without : wrong_without) += 1;
          continue;
        }
        if (run == 1) {
          (ok ? right_unchecked : wrong_unchecked) += 1;
          if (!detect::in_whole_pattern_window(r.corners, *deck, params)) continue;
          const char* doubt = detect::whole_pattern_doubt(s.gray, r.corners, *deck, params, r);
          auto& tally = doubts[doubt ? doubt : "agrees"];
          (ok ? tally.first : tally.second) += 1;
          continue;
        }
        (ok ? right : wrong) += 1;
        if (!ok)
          std::printf("frame %d (seed %llu): wrong read card %d %c\n", f, static_cast<unsigned long long>(spec.seed),
                      r.card, "ABCD"[static_cast<int>(r.answer)]);
      }
    }
  }
  std::printf("%s, deck %s, %d frames: %ld cards of %.0f-%.0f px; read %ld right, %ld wrong "
              "(without the decoders' agreement: %ld right, %ld wrong; without the whole-pattern decoder: %ld right, "
              "%ld wrong)\n",
              setting.c_str(), std::string(deck->name).c_str(), frames, shown, min_side, max_side, right, wrong,
              right_unchecked, wrong_unchecked, right_without, wrong_without);
  std::printf("reads in the whole-pattern window without the agreement check, by the fit's doubt:\n");
  for (const auto& [doubt, n] : doubts) std::printf("  %-22s %6ld right %4ld wrong\n", doubt.c_str(), n.first, n.second);
}
