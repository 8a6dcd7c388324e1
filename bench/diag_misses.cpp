// diag_misses: why cardpoll misses cards on bench_scanner's frames (development aid).
//   build/bench/diag_misses [easy|typical|hard|wild] [frames] [min_side] [dump_dir] [deck] [max_side] [strict]
// For every missed card of side >= min_side (and < max_side), prints the stage that lost
// it and, with dump_dir ("" for none), writes grey and mask crops. With deck "plickers" the
// frames are bench_scanner's plickers table's: the same placements, the card numbers spread
// over the deck the same way. With "strict", the cards are read with the plickers deck's
// margin and quiet-zone rules (0.25, 0.75) whatever the deck: what that strictness costs.
// Each quad shows its refined outline against the truth: off (px, the worst corner),
// scale (refined perimeter / true) and hullscale (the hull quad's). truthdec is decode_card's
// verdict from the true corners and, when it refuses, fit= the whole-pattern decoder's there
// (at any size: what decode_blurred would make of the card if its size window allowed it)
// and glare= decode_glare's there. DIAG_ALL=1 in the
// environment lists the cards read too (to compare outlines); reads that are no card of the
// truth are listed as WRONG (and their crops written to dump_dir).
#include <cstdio>
#include <map>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "bench/frames.h"
#include "scanner/card_grid.h"
#include "scanner/detect_stages.h"
#include "scanner/read_cards.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;


int main(int argc, char** argv) {
  const std::string diff = argc > 1 ? argv[1] : "typical";
  const int frames = argc > 2 ? std::atoi(argv[2]) : 34;
  const float min_side = argc > 3 ? static_cast<float>(std::atof(argv[3])) : 16;
  const std::string dump = argc > 4 ? argv[4] : "";
  const std::string deck_name = argc > 5 ? argv[5] : "classroom";
  const float max_side = argc > 6 ? static_cast<float>(std::atof(argv[6])) : 1e9f;
  const auto d = scenes::difficulty_from_name(diff);
  const Deck* deck = find_deck(deck_name);
  if (!deck) {
    std::fprintf(stderr, "no deck named %s\n", deck_name.c_str());
    return 2;
  }
  DetectParams params;
  params.deck = deck;
  if (argc > 7 && std::string(argv[7]) == "strict") {
    params.min_margin = 0.25f;
    params.min_quiet_fraction = 0.75f;
  }
  std::map<std::string, int> reasons;
  int misses = 0, total = 0;
  for (int f = 0; f < frames; ++f) {
    scenes::SceneSpec spec;
    spec.seed = 1000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f);
    spec.difficulty = d;
    spec.size = {1920, 1080};
    spec.random_cards = 40;
    spec.min_side_px = 8;
    spec.max_side_px = 64;
    spec.placements = scenes::random_placements(spec);
    if (deck->name != "classroom") {
      spec.deck = deck;
      for (auto& p : spec.placements) p.card = 1 + (p.card * 5) % deck->cards();
    }
    const auto s = scenes::render_scene(spec);
    const auto reads = read_cards(s.gray, params);
    const cv::Mat dark = detect::threshold_dark(s.gray, params);
    const auto cands = detect::find_candidates(dark, params, nullptr, &s.gray);
    for (const auto& r : reads) {  // reads that are no card of the truth at their place
      const cv::Point2f rc = bench::centre_of(r.corners);
      const int shown = bench::shown_card_at(s, rc);
      if (shown >= 0 && s.truth[static_cast<size_t>(shown)].card == r.card &&
          s.truth[static_cast<size_t>(shown)].answer == r.answer)
        continue;
      std::printf("WRONG f%d card %d %c at (%.0f,%.0f) margin %.2f; read corners", f, r.card,
                  "ABCD"[static_cast<int>(r.answer)], rc.x, rc.y, r.margin);
      for (const auto& q : r.corners) std::printf(" (%.1f,%.1f)", q.x, q.y);
      if (shown >= 0) {
        const auto& t = s.truth[static_cast<size_t>(shown)];
        std::printf("; truth card %d %c side %.1f corners", t.card, "ABCD"[static_cast<int>(t.answer)], t.side_px);
        for (const auto& q : t.corners) std::printf(" (%.1f,%.1f)", q.x, q.y);
      } else {
        std::printf("; no card there");
      }
      std::printf("\n");
      if (!dump.empty()) {
        const int rad = 40;
        cv::Rect roi(static_cast<int>(rc.x) - rad, static_cast<int>(rc.y) - rad, 2 * rad, 2 * rad);
        roi &= cv::Rect(0, 0, s.gray.cols, s.gray.rows);
        cv::Mat a;
        cv::resize(s.gray(roi), a, {}, 8, 8, cv::INTER_NEAREST);
        cv::imwrite(dump + "/WRONG_" + diff + "_f" + std::to_string(f) + ".png", a);
      }
    }
    for (size_t i = 0; i < s.truth.size(); ++i) {
      const auto& t = s.truth[i];
      if (t.side_px < min_side || t.side_px >= max_side) continue;
      ++total;
      cv::Point2f c(0, 0);
      for (const auto& q : t.corners) c += q * 0.25f;
      bool hit = false;
      for (const auto& r : reads) {
        cv::Point2f rc(0, 0);
        for (const auto& q : r.corners) rc += q * 0.25f;
        if (cv::norm(rc - c) < 0.35 * t.side_px && r.card == t.card && r.answer == t.answer) hit = true;
      }
      if (hit && !std::getenv("DIAG_ALL")) continue;
      ++misses;
      std::string trace;
      int ncand = 0;
      for (const auto& cand : cands)
        for (size_t qi = 0; qi < cand.quads.size(); ++qi) {
          const auto& quad = cand.quads[qi];
          cv::Point2f qc(0, 0);
          for (const auto& q : quad) qc += q * 0.25f;
          if (cv::norm(qc - c) > 0.35 * t.side_px) continue;
          ++ncand;
          // A completed corner is read as read_cards reads it: at the strict margin, and
          // its corner cell black.
          const bool off_hole = !detect::centre_on_hole(cand, quad, deck->grid);
          // Off the hole, a quad of large cells goes on as strictly as a completed corner.
          const bool large = detect::cell_px_of(quad, deck->grid) >= params.whole_rows_min_cell_px;
          const bool guessed = qi >= cand.first_completed || (off_hole && large);
          trace += qi >= cand.first_completed ? " [completed" : " [quad";
          if (off_hole) trace += " hole-off(holes=" + std::to_string(cand.holes) + ")";
          if (off_hole && !large) {
            // Whether the refined outline would sit on the hole, and read.
            if (const auto r0 = detect::refine_corners(s.gray, quad, deck->grid, deck->read_rules)) {
              const bool on = detect::centre_on_hole(cand, *r0, deck->grid);
              const char* w0 = "ok";
              const auto d0 = on ? detect::decode_card(s.gray, *r0, *deck, params, &w0) : std::nullopt;
              trace += std::string(on ? " refined-on-hole dec=" : " refined-off") + (on ? (d0 ? "ok" : w0) : "");
            }
            trace += "]";
            continue;
          }
          if (!detect::looks_like_card(s.gray, quad, *deck, params)) { trace += " not-looks]"; continue; }
          const auto ref = detect::refine_corners(s.gray, quad, deck->grid, deck->read_rules);
          if (!ref) { trace += " refine-fail]"; continue; }
          const char* why = "ok";
          DetectParams strict = params;
          strict.min_margin = detect::kStrictMinMargin;
          if (guessed) strict.small_corner_slack = 0;
          if (off_hole) strict.erasure_min_cell_px = 0;
          auto rd = detect::decode_card(s.gray, *ref, *deck, guessed ? strict : params, &why);
          trace += std::string(" dec=") + (rd ? "ok" : why);
          if (!rd && (std::string(why) == "fixed cell" || std::string(why) == "margin")) {
            const char* wg = "ok";
            const auto rg = detect::decode_glare(s.gray, *ref, *deck, off_hole ? strict : params, &wg);
            trace += std::string(" glare=") + (rg ? (rg->card == t.card && rg->answer == t.answer ? "ok" : "WRONG") : wg);
          }
          {  // how far the refined corners are from the true ones (nearest true corner each)
            float worst = 0;
            for (const auto& q : *ref) {
              float best = 1e9f;
              for (const auto& tq : t.corners) best = std::min(best, static_cast<float>(cv::norm(q - tq)));
              worst = std::max(worst, best);
            }
            float pr = 0, pt = 0;
            for (size_t k = 0; k < 4; ++k) {
              pr += static_cast<float>(cv::norm((*ref)[k] - (*ref)[(k + 1) % 4]));
              pt += static_cast<float>(cv::norm(t.corners[k] - t.corners[(k + 1) % 4]));
            }
            float ph = 0;
            for (size_t k = 0; k < 4; ++k) ph += static_cast<float>(cv::norm(quad[k] - quad[(k + 1) % 4]));
            char buf[96];
            std::snprintf(buf, sizeof buf, " off=%.2f scale=%.3f hullscale=%.3f", worst, pr / pt, ph / pt);
            trace += buf;
          }
          const char* why2 = "ok";
          rd = detect::decode_card(s.gray, quad, *deck, strict, &why2);
          trace += std::string(" hull=") + (rd ? "ok" : why2) + "]";
        }
      // Truth corners, clockwise on the image already.
      detect::Corners tc{t.corners[0], t.corners[1], t.corners[2], t.corners[3]};
      const char* why = "ok";
      const auto rd = detect::decode_card(s.gray, tc, *deck, params, &why);
      std::string truth_dec = rd ? (rd->card == t.card && rd->answer == t.answer ? "ok" : "WRONG") : why;
      if (!rd) {
        const char* wb = "ok";
        const auto rb = detect::decode_blurred(s.gray, tc, *deck, params, &wb);
        truth_dec += std::string(" fit=") + (rb ? (rb->card == t.card && rb->answer == t.answer ? "ok" : "WRONG") : wb);
        const char* wg = "ok";
        const auto rg = detect::decode_glare(s.gray, tc, *deck, params, &wg);
        truth_dec += std::string(" glare=") + (rg ? (rg->card == t.card && rg->answer == t.answer ? "ok" : "WRONG") : wg);
      }
      if (!rd && std::string(why) == "contrast") {
        // What a lower contrast floor would read from the true corners.
        for (int floor : {16, 12, 8}) {
          DetectParams low = params;
          low.min_card_contrast = floor;
          const char* w2 = "ok";
          const auto r3 = detect::decode_card(s.gray, tc, *deck, low, &w2);
          truth_dec += " @" + std::to_string(floor) + "=" +
                       (r3 ? (r3->card == t.card && r3->answer == t.answer ? "ok" : "WRONG") : w2);
          if (r3) break;
        }
      }
      const char* wr = "ok";
      const auto tref = detect::refine_corners(s.gray, tc, deck->grid);
      std::string tr = "refine-fail";
      if (tref) {
        const auto r2 = detect::decode_card(s.gray, *tref, *deck, params, &wr);
        tr = r2 ? "ok" : wr;
        float pr = 0, pt = 0;
        for (size_t k = 0; k < 4; ++k) {
          pr += static_cast<float>(cv::norm((*tref)[k] - (*tref)[(k + 1) % 4]));
          pt += static_cast<float>(cv::norm(t.corners[k] - t.corners[(k + 1) % 4]));
        }
        char buf[32];
        std::snprintf(buf, sizeof buf, " tscale=%.3f", pr / pt);
        tr += buf;
      }
      if (!ncand) {
        std::vector<std::vector<cv::Point>> cs;
        std::vector<cv::Vec4i> hier;
        cv::findContours(dark.clone(), cs, hier, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
        for (size_t k = 0; k < cs.size(); ++k) {
          const bool hole = hier[k][3] >= 0;
          const cv::Rect b = cv::boundingRect(cs[k]);
          if (!b.contains(cv::Point(c))) continue;
          if (b.width > 4 * t.side_px) continue;
          std::vector<cv::Point> hull;
          cv::convexHull(cs[k], hull);
          std::printf("   %s box %dx%d at %d,%d area %.0f hull %.0f npts %zu\n", hole ? "hole" : "blob", b.width, b.height, b.x, b.y,
                      cv::contourArea(cs[k]), cv::contourArea(hull), hull.size());
        }
      }
      const std::string key = (ncand ? "cand" : "NOCAND") + std::string(" truth=") + truth_dec;
      ++reasons[key];
      std::printf("f%d i%zu side %.1f at (%.0f,%.0f) cands %d%s | truthdec=%s truthref=%s\n", f, i, t.side_px, c.x, c.y,
                  ncand, trace.c_str(), truth_dec.c_str(), tr.c_str());
      if (!dump.empty()) {
        const int r = static_cast<int>(t.side_px * 1.3f);
        cv::Rect roi(static_cast<int>(c.x) - r, static_cast<int>(c.y) - r, 2 * r, 2 * r);
        roi &= cv::Rect(0, 0, s.gray.cols, s.gray.rows);
        cv::Mat a, b, both;
        cv::resize(s.gray(roi), a, {}, 6, 6, cv::INTER_NEAREST);
        cv::resize(dark(roi), b, {}, 6, 6, cv::INTER_NEAREST);
        cv::hconcat(a, b, both);
        cv::imwrite(dump + "/" + diff + "_f" + std::to_string(f) + "_i" + std::to_string(i) + ".png", both);
      }
    }
  }
  std::printf("%d misses of %d cards >= %.0f px\n", misses, total, min_side);
  for (const auto& [k, v] : reasons) std::printf("  %4d %s\n", v, k.c_str());
}
