// cardpoll calibrate camera|range|print: the camera's lens model, whether it can read the
// back row, and the printed chessboard that the lens model is measured with.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "app/cli.h"
#include "calibration/camera_controls.h"
#include "calibration/camera_profile.h"
#include "calibration/chessboard.h"
#include "calibration/range_check.h"
#include "calibration/view_collector.h"
#include "core/deck.h"
#include "display/print/board.h"
#include "scanner/frame_source.h"
#include "scanner/read_cards.h"
#include "scanner/resilient_source.h"

namespace cardpoll::app {
namespace {

using namespace cardpoll::calibration;

const char* kUsage =
    "Usage: cardpoll calibrate camera --source CAMERA|DIR|VIDEO [--board 9x6 --square-mm 25]\n"
    "                                 --out profile.yml [--views N] [--min-coverage F]\n"
    "                                 [--max-seconds S] [--width W --height H]\n"
    "       cardpoll calibrate range  --source CAMERA|DIR|VIDEO|IMAGE [--frames N]\n"
    "                                 [--exposure auto|N] [--focus auto|N] [--deck NAME]\n"
    "                                 [--target-recall F] [--width W --height H]\n"
    "       cardpoll calibrate print  --out board.pdf [--paper letter|a4] [--board 9x6]\n"
    "                                 [--square-mm 25]\n\n"
    "camera: measures the lens (focal length, centre, distortion) from views of the printed\n"
    "  chessboard and saves it for `cardpoll scan/live --camera-profile FILE`, so that cards\n"
    "  near the edges of a wide-angle picture are placed as accurately as in the centre.\n"
    "  From a live camera, distinct, steady views are captured by themselves: move the\n"
    "  board slowly through the whole picture (corners too), tilted different ways. The\n"
    "  terminal shows the views kept, how much of the picture they cover, and the fit.\n"
    "  From a folder or video every frame with the whole board is a candidate (headless).\n"
    "  Without --board/--square-mm the geometry is read from the QR code on a board printed\n"
    "  by `calibrate print` (hold it close to the camera first).\n"
    "  Calibrate at the resolution you scan at (a profile also fits other resolutions of\n"
    "  the same shape, scaled).\n\n"
    "range: hold one card where the farthest student sits. Reports the card's width in\n"
    "  pixels, the scanner's expected recall at that width, what would fix a shortfall\n"
    "  (print bigger, higher resolution, move closer), focus and exposure with advice.\n"
    "  On a camera, --exposure and --focus are applied first and the result is reported.\n\n"
    "print: the chessboard at its exact physical size with a QR code holding its geometry\n"
    "  and a 100 mm check line. Print at 100% (actual size) and glue it to something flat.\n\n"
    "Options:\n"
    "  --source S         camera index (0), /dev/videoN, rtsp:// URL, folder of images,\n"
    "                     video file, (range) one image\n"
    "  --board CxR        inner corners per row and column (default 9x6 = 10x7 squares)\n"
    "  --square-mm MM     side of one square in millimetres (default 25)\n"
    "  --out FILE         camera: the profile (YAML); print: the PDF\n"
    "  --views N          camera: views to collect from a live camera (6..60, default 15)\n"
    "  --min-coverage F   camera: fraction of the picture the corners must cover before a\n"
    "                     live capture stops (0..1, default 0.6)\n"
    "  --max-seconds S    camera: give up a live capture after S seconds (default 300)\n"
    "  --width W, --height H   camera resolution to ask for (default 1920x1080)\n"
    "  --frames N         range: frames to look at (1..1000, default 30)\n"
    "  --exposure auto|N  range: set the camera's exposure (its own units; V4L2: 100 us)\n"
    "  --focus auto|N     range: set autofocus, or a fixed focus (0 = far on most webcams)\n"
    "  --deck NAME        range: the deck the card is from (default classroom); its\n"
    "                     own recall curve says how wide its cards must be\n"
    "  --target-recall F  range: the recall to aim for (0.5..0.99, default 0.95)\n"
    "  --paper P          print: letter (default) or a4\n";

bool is_camera_spec(const std::string& s) {
  return !s.empty() && (std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }) ||
                        s.rfind("/dev/video", 0) == 0);
}

std::optional<BoardGeometry> board_from_args(const ParsedArgs& a, bool defaults) {
  const bool has_board = a.has("board"), has_mm = a.has("square-mm");
  if (!has_board && !has_mm && !defaults) return std::nullopt;
  if (has_board != has_mm && !defaults)
    throw UsageError("give both --board and --square-mm, or neither (to read the board's QR code)");
  BoardGeometry b;
  if (auto s = a.get("board")) {
    auto size = parse_board_size(*s);
    if (!size) throw UsageError("--board " + *s + ": expected inner corners as COLSxROWS, e.g. 9x6 (2 to 40 each)");
    b.inner = *size;
  }
  b.square_mm = a.get_double("square-mm", 25, 3, 200);
  return b;
}

SourceOptions source_options(const ParsedArgs& a) {
  SourceOptions o;
  o.width = a.get_int("width", 1920, 160, 7680);
  o.height = a.get_int("height", 1080, 120, 4320);
  return o;
}

// ---- calibrate print -------------------------------------------------------------------

int run_print(const ParsedArgs& a) {
  const auto out = a.get("out");
  if (!out) throw UsageError("calibrate print needs --out FILE.pdf");
  const std::string paper = a.get_or("paper", "letter");
  if (paper != "letter" && paper != "a4") throw UsageError("--paper " + paper + ": expected letter or a4");
  const BoardGeometry b = *board_from_args(a, true);
  print::BoardSheet s{b.inner.width, b.inner.height, b.square_mm,
                      paper == "a4" ? print::Paper::A4 : print::Paper::Letter, board_qr_text(b)};
  print::BoardLayout L;
  try {
    L = print::board_layout(s);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  print::write_board_pdf(*out, s);
  std::printf("wrote %s: %dx%d inner corners (%dx%d squares of %g mm), %s %s\n", out->c_str(),
              b.inner.width, b.inner.height, b.inner.width + 1, b.inner.height + 1, b.square_mm,
              paper.c_str(), L.landscape ? "landscape" : "portrait");
  if (L.qr.w > 0)
    std::printf("QR code %.1f mm says \"%s\"\n", L.qr.w, s.qr_text.c_str());
  else
    std::printf("no QR code: %s\n", L.why_no_qr.c_str());
  std::printf("Print at 100%% (actual size), then check the 100 mm line with a ruler.\n");
  return 0;
}

// ---- calibrate camera ------------------------------------------------------------------

int run_camera(const ParsedArgs& a) {
  const auto spec = a.get("source");
  if (!spec) throw UsageError("calibrate camera needs --source (a camera, folder or video)");
  const auto out = a.get("out");
  if (!out) throw UsageError("calibrate camera needs --out profile.yml");
  {
    namespace fs = std::filesystem;
    const fs::path p(*out), dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))  // fail now, not after the teacher waved the board for minutes
      throw std::runtime_error(*out + ": folder " + dir.string() + " does not exist");
  }
  const int want_views = a.get_int("views", 15, kMinCalibrationViews, 60);
  const double min_cov = a.get_double("min-coverage", 0.6, 0, 1);
  const double max_seconds = a.get_double("max-seconds", 300, 1, 3600);
  std::optional<BoardGeometry> board = board_from_args(a, false);

  FrameSource src = open_resilient_source(*spec, source_options(a));
  const bool live = src.live;
  std::printf("calibrating from %s (%s)%s\n", src.name.c_str(), source_kind_name(src.kind),
              src.granted.empty() ? "" : (", " + src.granted).c_str());
  if (!board)
    std::printf("looking for the board's QR code: hold the board close to the camera, facing it\n");

  ViewCollector c;
  c.board = board;
  c.live = live;
  Frame f;
  const int64_t start = steady_source_clock().now_ms();
  std::string last_problem;
  std::optional<ViewOutcome> last_outcome;
  for (;;) {
    const SourceRead r = src.read(f);
    if (r.status == SourceStatus::Ended) break;
    if (r.status == SourceStatus::Failed) {
      if (r.message != last_problem) std::fprintf(stderr, "  %s\n", r.message.c_str());
      last_problem = r.message;
    } else {
      last_problem.clear();
      const std::string label = live ? "frame " + std::to_string(f.index) : f.source;
      const bool had_geometry = c.board.has_value();
      const ViewOutcome o = c.add(f.gray, label);
      if (!had_geometry && c.board)
        std::printf("board from its QR code: %dx%d inner corners, %g mm squares\n", c.board->inner.width,
                    c.board->inner.height, c.board->square_mm);
      if (o == ViewOutcome::Kept)
        std::printf("  kept view %zu (%s): coverage %.0f%%\n", c.views.size(), label.c_str(),
                    100 * c.coverage().fraction());
      // Live feedback: say what the teacher should do whenever it changes.
      if (live && o != ViewOutcome::Kept && o != last_outcome) {
        const char* say = o == ViewOutcome::NoGeometry     ? "QR code not read yet: bring the board closer"
                          : o == ViewOutcome::NoBoard      ? "whole board not in view"
                          : o == ViewOutcome::Moving       ? "board moving: hold it still for a moment"
                                                           : "same view as before: move or tilt the board";
        std::printf("  [%s] %s (views %zu/%d, coverage %.0f%% of %.0f%%)\n", label.c_str(), say,
                    c.views.size(), want_views, 100 * c.coverage().fraction(), 100 * min_cov);
      }
      last_outcome = o;
    }
    if (live && c.enough(want_views, min_cov)) break;
    if (live && double(steady_source_clock().now_ms() - start) / 1000 > max_seconds) {
      std::printf("stopping after %.0f s\n", max_seconds);
      break;
    }
  }
  board = c.board;
  const cv::Size size = c.size;
  const std::vector<BoardView>& views = c.views;
  const int frames = c.frames;
  if (!board)
    throw std::runtime_error(*spec + ": no board QR code found in " + std::to_string(frames) +
                             " frames: give --board and --square-mm");
  std::printf("%d frames, %d with the whole board, %zu distinct views kept (%d near-duplicates skipped)\n",
              frames, c.with_board, views.size(), c.near_duplicates);
  const CalibrationResult res = calibrate_from_views(views, *board, size);
  const Coverage cov = image_coverage(views, size);
  std::printf("coverage of the picture by the views (# covered):\n%s", cov.map().c_str());
  for (const auto& d : res.dropped) std::printf("dropped %s\n", d.c_str());
  const auto& K = res.profile.camera_matrix;
  const auto& D = res.profile.dist_coeffs;
  std::printf("reprojection error (RMS): %.3f px over %d views\n", res.profile.rms_px, res.profile.views);
  std::printf("focal length %.1f x %.1f px, centre (%.1f, %.1f), image %dx%d\n", K(0, 0), K(1, 1), K(0, 2),
              K(1, 2), size.width, size.height);
  std::printf("distortion k1 %.4f k2 %.4f p1 %.5f p2 %.5f\n", D[0], D[1], D[2], D[3]);
  if (res.profile.rms_px > 1.0)
    std::printf("warning: an error above 1 px means blurred views or a board that is not flat\n");
  if (res.coverage < 0.5)
    std::printf("warning: the views cover only %.0f%% of the picture: the model is guessed at the "
                "uncovered edges; add views there\n", 100 * res.coverage);
  write_file_atomically(*out, camera_profile_yaml(res.profile));
  std::printf("wrote %s\n", out->c_str());
  return 0;
}

// ---- calibrate range -------------------------------------------------------------------

void print_range(const RangeReport& r) {
  std::printf("frames: %d, card read in %d\n", r.frames, r.frames_with_card);
  if (r.card)
    std::printf("card %d (answer %c): %.1f px wide; expected recall at that width %.0f%% "
                "(%.0f px needed for %.0f%%)\n",
                r.card->card, answer_letter(r.card->answer), r.width_px, 100 * r.expected_recall,
                r.needed_width_px, 100 * r.target_recall);
  if (r.card)
    std::printf("focus (Laplacian variance on the card, per contrast^2): %.3f (a sharp card this size: "
                "about %.3f)\n", r.focus, r.sharp_focus);
  std::printf("exposure: mean %.0f of 255, %.1f%% pure black, %.1f%% pure white", r.exposure.mean,
              100 * r.exposure.clipped_dark, 100 * r.exposure.clipped_bright);
  if (r.card) std::printf(", card contrast %.0f", r.exposure.card_contrast);
  std::printf("\n");
  for (const auto& line : r.advice) std::printf("%s\n", line.c_str());
}

int run_range(const ParsedArgs& a) {
  const auto spec = a.get("source");
  if (!spec) throw UsageError("calibrate range needs --source");
  const int max_frames = a.get_int("frames", 30, 1, 1000);
  const std::string deck_name = a.get_or("deck", "classroom");
  const Deck* deck = find_deck(deck_name);
  if (!deck) throw UsageError("unknown deck '" + deck_name + "' (decks: " + deck_names() + ")");
  CameraControlRequest req;
  if (auto e = a.get("exposure")) req.exposure = *e;
  if (auto fo = a.get("focus")) req.focus = *fo;
  try {
    if (req.exposure) check_control_value("exposure", *req.exposure);
    if (req.focus) check_control_value("focus", *req.focus);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  RangeCheck check;
  check.target_recall = a.get_double("target-recall", 0.95, 0.5, 0.99);
  check.deck = std::string(deck->name);
  DetectParams params;
  params.deck = deck;
  const SourceOptions so = source_options(a);

  if (is_camera_spec(*spec)) {
    // The camera directly: exposure and focus are VideoCapture properties.
    cv::VideoCapture cap;
    const bool by_index = std::isdigit(static_cast<unsigned char>((*spec)[0])) != 0;
    bool ok = by_index ? cap.open(std::stoi(*spec), cv::CAP_V4L2) : cap.open(*spec, cv::CAP_V4L2);
    if (!ok) ok = by_index ? cap.open(std::stoi(*spec), cv::CAP_ANY) : cap.open(*spec, cv::CAP_ANY);
    if (!ok || !cap.isOpened())
      throw std::runtime_error(*spec + ": cannot open the camera (not connected, or in use by another program?)");
    cap.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
    cap.set(cv::CAP_PROP_FRAME_WIDTH, so.width);
    cap.set(cv::CAP_PROP_FRAME_HEIGHT, so.height);
    for (const auto& o : apply_camera_controls(cap, req)) {
      if (o.asked.empty())
        std::printf("%s: %s\n", o.control.c_str(), o.now.c_str());
      else
        std::printf("%s: asked %s, %s; now %s\n", o.control.c_str(), o.asked.c_str(),
                    o.accepted ? "accepted" : "NOT accepted by this camera", o.now.c_str());
    }
    // Let auto exposure and focus settle before judging them.
    cv::Mat frame, gray;
    for (int i = 0; i < 15; ++i) cap.read(frame);
    int failures = 0;
    while (check.frames < max_frames) {
      if (!cap.read(frame) || frame.empty()) {
        if (++failures > 30) throw std::runtime_error(*spec + ": the camera stopped delivering frames");
        continue;
      }
      if (frame.channels() == 3) cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
      else gray = frame;
      check.add_frame(gray.clone(), read_cards(gray, params));
    }
    std::printf("camera mode: %dx%d\n", gray.cols, gray.rows);
  } else {
    if (req.exposure || req.focus)
      std::printf("note: --exposure/--focus only apply to a camera; ignored for %s\n", spec->c_str());
    FrameSource src = open_source(*spec, so);
    Frame f;
    while (check.frames < max_frames) {
      const SourceRead r = src.read(f);
      if (r.status == SourceStatus::Ended) break;
      if (r.status == SourceStatus::Failed) {
        std::fprintf(stderr, "  %s\n", r.message.c_str());
        continue;
      }
      check.add_frame(f.gray, read_cards(f.gray, params));
    }
    if (check.frames == 0) throw std::runtime_error(*spec + ": no frame could be read");
  }
  print_range(check.finish());
  return 0;
}

int run_calibrate(const Context&, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"source", true}, {"board", true}, {"square-mm", true},
                                   {"out", true}, {"views", true}, {"min-coverage", true},
                                   {"max-seconds", true}, {"width", true}, {"height", true},
                                   {"frames", true}, {"exposure", true}, {"focus", true},
                                   {"deck", true}, {"target-recall", true}, {"paper", true}});
  if (a.positional.empty()) throw UsageError("say what to calibrate: camera, range or print");
  if (a.positional.size() > 1) throw UsageError("unexpected '" + a.positional[1] + "'");
  const std::string& what = a.positional[0];
  // Options that belong to another subcommand are mistakes, not silently ignored.
  auto only = [&](std::initializer_list<const char*> allowed) {
    for (const auto& [name, v] : a.options)
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* n) { return name == n; }))
        throw UsageError("--" + name + " does not apply to `calibrate " + what + "`");
  };
  if (what == "print") {
    only({"out", "paper", "board", "square-mm"});
    return run_print(a);
  }
  if (what == "camera") {
    only({"source", "board", "square-mm", "out", "views", "min-coverage", "max-seconds", "width", "height"});
    return run_camera(a);
  }
  if (what == "range") {
    only({"source", "frames", "exposure", "focus", "deck", "target-recall", "width", "height"});
    return run_range(a);
  }
  throw UsageError("unknown calibration '" + what + "': expected camera, range or print");
}

const bool registered = register_command(
    {"calibrate", "camera lens profile, range check for the back row, chessboard to print", kUsage,
     run_calibrate});

}  // namespace
}  // namespace cardpoll::app
