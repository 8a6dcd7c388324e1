// diag_wrong: lists cardpoll's wrong reads on bench_scanner --wrong-reads frames (development aid).
//   build/bench/diag_wrong [typical|hard|wild] [first_frame] [frames] [dump_dir] [deck]
// With dump_dir, each wrong read's crop, the first mask's crop (_mask: white is dark) and the
// crop of the scene rendered without the camera (_plain: the clutter is placed differently
// there, but look-alikes and words painted over them show) and the frame's own pixels
// around it (_cut, 192x128: a black-box sample's size). NO_SECOND_LOOK in the
// environment reads without the second look (split.cpp).
// Frame f of a setting is the hunt's frame f (seed 100000 x (setting + 1) + f). SMALL_CARDS in
// the environment takes diag_small_cards' frames instead (seed 200000 x (setting + 1) + f,
// cards of 12-22 px).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"
#include "bench/frames.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;

int main(int argc, char** argv) {
  const auto setting = scenes::difficulty_from_name(argc > 1 ? argv[1] : "typical");
  const int first = argc > 2 ? std::atoi(argv[2]) : 0;
  const int frames = argc > 3 ? std::atoi(argv[3]) : 100;
  const std::string dump = argc > 4 ? argv[4] : "";
  const Deck* deck = find_deck(argc > 5 ? argv[5] : "classroom");
  if (!deck) {
    std::fprintf(stderr, "no deck %s (%s)\n", argv[5], deck_names().c_str());
    return 2;
  }
  int wrong = 0;
  for (int f = first; f < first + frames; ++f) {
    // As the hunt: placements drawn over the whole deck.
    const bool small = std::getenv("SMALL_CARDS") != nullptr;
    const auto spec = bench::frame_spec(setting, (small ? 200000 : 100000) * (static_cast<uint64_t>(setting) + 1) + static_cast<uint64_t>(f),
                                        small ? 12.0f : 8.0f, small ? 22.0f : 64.0f, deck);
    const auto s = scenes::render_scene(spec);
    DetectParams params;
    params.deck = deck;
    params.second_look = std::getenv("NO_SECOND_LOOK") == nullptr;
    const auto reads = read_cards(s.gray, params);
    std::vector<int> times_read(s.truth.size(), 0);  // a second read of one card is wrong too
    for (const auto& r : reads) {
      const cv::Point2f rc = bench::centre_of(r.corners);
      const int best = bench::shown_card_at(s, rc);
      const bool ok = best >= 0 && s.truth[static_cast<size_t>(best)].card == r.card &&
                      s.truth[static_cast<size_t>(best)].answer == r.answer;
      if (ok && ++times_read[static_cast<size_t>(best)] == 1) continue;
      ++wrong;
      if (ok) std::printf("frame %d: a second read of card %d (duplicate)\n", f, r.card);
      std::printf("frame %d seed %d: read card %d %c margin %.2f at (%.1f,%.1f) corners", f, static_cast<int>(spec.seed), r.card,
                  answer_letter(r.answer), r.margin, rc.x, rc.y);
      for (const auto& q : r.corners) std::printf(" (%.1f,%.1f)", q.x, q.y);
      if (best >= 0) {
        const auto& t = s.truth[static_cast<size_t>(best)];
        std::printf(" | truth card %d %c side %.1f corners", t.card, answer_letter(t.answer), t.side_px);
        for (const auto& q : t.corners) std::printf(" (%.1f,%.1f)", q.x, q.y);
      } else {
        std::printf(" | no card there");
      }
      std::printf("\n");
      if (!dump.empty()) {
        const int rr = 40;
        cv::Rect roi(static_cast<int>(rc.x) - rr, static_cast<int>(rc.y) - rr, 2 * rr, 2 * rr);
        roi &= cv::Rect(0, 0, s.gray.cols, s.gray.rows);
        cv::Mat a;
        cv::resize(s.gray(roi), a, {}, 8, 8, cv::INTER_NEAREST);
        cv::cvtColor(a, a, cv::COLOR_GRAY2BGR);
        std::vector<cv::Point> poly;
        for (const auto& q : r.corners) poly.emplace_back(static_cast<int>((q.x - roi.x + 0.5f) * 8), static_cast<int>((q.y - roi.y + 0.5f) * 8));
        cv::polylines(a, poly, true, {0, 0, 255}, 1);
        cv::circle(a, poly[0], 5, {0, 255, 0}, 2);
        cv::imwrite(dump + "/wrong_" + std::to_string(f) + "_" + std::to_string(wrong) + ".png", a);
        {
          const cv::Mat dark = detect::threshold_dark(s.gray, params);
          cv::Mat m;
          cv::resize(dark(roi), m, {}, 8, 8, cv::INTER_NEAREST);
          cv::imwrite(dump + "/wrong_" + std::to_string(f) + "_" + std::to_string(wrong) + "_mask.png", m);
        }
        // The scene without the camera (no light, blur, noise or JPEG): what was painted.
        scenes::SceneSpec plain = spec;
        plain.degrade = false;
        const auto p = scenes::render_scene(plain);
        cv::Mat b;
        cv::resize(p.gray(roi), b, {}, 8, 8, cv::INTER_NEAREST);
        cv::imwrite(dump + "/wrong_" + std::to_string(f) + "_" + std::to_string(wrong) + "_plain.png", b);
        // The frame's own pixels, 192x128 at a multiple of 16: a black-box sample's cut
        // (tests/data/scanner, read again by `cardpoll scan` to see it still misreads).
        cv::Rect cut(static_cast<int>(rc.x) / 16 * 16 - 80, static_cast<int>(rc.y) / 16 * 16 - 48, 192, 128);
        cut &= cv::Rect(0, 0, s.gray.cols, s.gray.rows);
        cv::imwrite(dump + "/wrong_" + std::to_string(f) + "_" + std::to_string(wrong) + "_cut.png", s.gray(cut));
        std::printf("  cut %dx%d at (%d,%d), cards inside:", cut.width, cut.height, cut.x, cut.y);
        for (const auto& t : s.truth)
          if (cut.contains(bench::centre_of(t.corners))) std::printf(" %d %c", t.card, answer_letter(t.answer));
        std::printf("\n");
      }
    }
  }
  std::printf("%d wrong reads in frames %d..%d\n", wrong, first, first + frames - 1);
}
