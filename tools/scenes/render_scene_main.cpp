// render_scene: writes synthetic classroom frames and their ground truth.
// See usage() and tools/scenes/scene.h.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "tools/scenes/scene.h"

namespace {

const char* kUsage = R"(usage: render_scene --out DIR [options]

Writes DIR/<prefix><seed>.png (8-bit grey frame) and DIR/<prefix><seed>.truth (one line per
card: "card answer x0 y0 x1 y1 x2 y2 x3 y3 side", corners in card order: printed top-left,
top-right, bottom-right, bottom-left, in pixels).

options:
  --seed N             first seed (default 1); frames use seeds N, N+1, ...
  --frames N           number of frames (default 1)
  --size WxH           frame size (default 1920x1080)
  --difficulty D       easy | typical | hard (default typical)
  --deck NAME          classroom | large (default classroom)
  --markers K          cardpoll | aruco4x4_50 | tag16h5 | tag36h11 (default cardpoll)
  --count N            random cards per frame (default 40)
  --min-side PX        smallest random card side (default 10)
  --max-side PX        largest random card side (default 60)
  --patterns DIR       read cards from DIR/<card>.png (cardpoll cards --format png --pattern-only)
  --place C:A:X:Y:S[:ROLL[:TILTX[:TILTY]]]
                       place card C with answer A (A-D) centred at X,Y, S px wide, rolled and
                       tilted in degrees; repeatable; replaces the random cards
  --no-clutter         plain background
  --clean              no light, glare, distortion, blur, noise or JPEG
  --prefix P           file name prefix (default "scene_")
  --jpg                write JPEG (quality 90) instead of PNG
)";

[[noreturn]] void usage_error(const std::string& msg) {
  std::cerr << "render_scene: " << msg << "\n\n" << kUsage;
  std::exit(2);
}

int to_int(const std::string& flag, const std::string& v) {
  try {
    size_t n = 0;
    const int i = std::stoi(v, &n);
    if (n != v.size()) throw std::invalid_argument(v);
    return i;
  } catch (const std::exception&) {
    usage_error(flag + ": '" + v + "' is not a whole number");
  }
}

float to_float(const std::string& flag, const std::string& v) {
  try {
    size_t n = 0;
    const float f = std::stof(v, &n);
    if (n != v.size()) throw std::invalid_argument(v);
    return f;
  } catch (const std::exception&) {
    usage_error(flag + ": '" + v + "' is not a number");
  }
}

cardpoll::scenes::Placement parse_place(const std::string& v) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t c = v.find(':', start);
    parts.push_back(v.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (parts.size() < 5 || parts.size() > 8) usage_error("--place '" + v + "': expected C:A:X:Y:S[:ROLL[:TILTX[:TILTY]]]");
  cardpoll::scenes::Placement p;
  p.card = to_int("--place", parts[0]);
  const auto a = parts[1].size() == 1 ? cardpoll::answer_from_letter(parts[1][0]) : std::nullopt;
  if (!a) usage_error("--place '" + v + "': answer '" + parts[1] + "' is not A, B, C or D");
  p.answer = *a;
  p.centre = {to_float("--place", parts[2]), to_float("--place", parts[3])};
  p.side_px = to_float("--place", parts[4]);
  if (parts.size() > 5) p.roll_deg = to_float("--place", parts[5]);
  if (parts.size() > 6) p.tilt_x_deg = to_float("--place", parts[6]);
  if (parts.size() > 7) p.tilt_y_deg = to_float("--place", parts[7]);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cardpoll::scenes;
  SceneSpec spec;
  std::filesystem::path out;
  int frames = 1;
  std::string prefix = "scene_";
  bool jpg = false;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) usage_error(a + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--out") out = value();
    else if (a == "--seed") spec.seed = static_cast<uint64_t>(to_int(a, value()));
    else if (a == "--frames") frames = to_int(a, value());
    else if (a == "--size") {
      const std::string v = value();
      const size_t x = v.find('x');
      if (x == std::string::npos) usage_error("--size '" + v + "': expected WxH");
      spec.size = {to_int(a, v.substr(0, x)), to_int(a, v.substr(x + 1))};
    } else if (a == "--difficulty") {
      try {
        spec.difficulty = difficulty_from_name(value());
      } catch (const std::invalid_argument& e) {
        usage_error(e.what());
      }
    } else if (a == "--deck") {
      const std::string v = value();
      spec.deck = cardpoll::find_deck(v);
      if (!spec.deck) usage_error("--deck '" + v + "': no such deck (" + cardpoll::deck_names() + ")");
    } else if (a == "--markers") {
      const std::string v = value();
      bool found = false;
      for (MarkerKind k : {MarkerKind::Card, MarkerKind::Aruco4x4_50, MarkerKind::AprilTag16h5, MarkerKind::AprilTag36h11})
        if (v == marker_name(k)) {
          spec.markers = k;
          found = true;
        }
      if (!found) usage_error("--markers '" + v + "': expected cardpoll, aruco4x4_50, tag16h5 or tag36h11");
    } else if (a == "--count") spec.random_cards = to_int(a, value());
    else if (a == "--min-side") spec.min_side_px = to_float(a, value());
    else if (a == "--max-side") spec.max_side_px = to_float(a, value());
    else if (a == "--patterns") spec.pattern_dir = value();
    else if (a == "--place") spec.placements.push_back(parse_place(value()));
    else if (a == "--no-clutter") spec.clutter = false;
    else if (a == "--clean") spec.degrade = false;
    else if (a == "--prefix") prefix = value();
    else if (a == "--jpg") jpg = true;
    else usage_error("unknown option '" + a + "'");
  }
  if (out.empty()) usage_error("--out DIR is required");
  if (frames < 1) usage_error("--frames must be at least 1");
  try {
    std::filesystem::create_directories(out);
    const uint64_t first = spec.seed;
    for (int f = 0; f < frames; ++f) {
      spec.seed = first + static_cast<uint64_t>(f);
      const Scene s = render_scene(spec);
      const std::string base = prefix + std::to_string(spec.seed);
      const auto img = out / (base + (jpg ? ".jpg" : ".png"));
      std::vector<int> opts;
      if (jpg) opts = {cv::IMWRITE_JPEG_QUALITY, 90};
      if (!cv::imwrite(img.string(), s.gray, opts)) throw std::runtime_error(img.string() + ": cannot write image");
      const auto truth = out / (base + ".truth");
      std::ofstream t(truth);
      t << truth_text(s.truth);
      if (!t) throw std::runtime_error(truth.string() + ": cannot write ground truth");
    }
  } catch (const std::exception& e) {
    std::cerr << "render_scene: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
