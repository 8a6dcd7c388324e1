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
  --difficulty D       easy | typical | hard | wild (default typical): the preset of every
                       effect below; an effect flag changes that one knob of the preset
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
  --clean              no light, glare, distortion, blur, noise or JPEG, and plain flat white
                       cards (unless effect flags are given)
  --prefix P           file name prefix (default "scene_")

effects (fields of scenes::Effects, see tools/scenes/scene.h and docs/scanner.md;
LO:HI is a range drawn uniformly, P a chance per card or per frame, 0..1):
  --roll MAX           in-plane rotation up to +-MAX degrees
  --tilt MAX           tilt up to MAX degrees about a random axis
  --fingers P          a thumb over the quiet zone
  --paper LO:HI        paper brightness as a fraction of white (0.5: a deep shadow)
  --tint P             tinted (pastel) card stock
  --margin LO:HI       white paper around the pattern, cells
  --curl P:MAX         the card sags, free edge up to MAX x its width off the plane
  --glare-band P       a laminate glare band across the card
  --motion P:LO:HI     motion blur of LO..HI px in a random direction
  --clutter N          clutter objects per 1080p frame
  --big-clutter N      desks and posters per 1080p frame
  --backdrop P         a dark, coloured or patterned object right behind the card
  --gradient S         light falloff across the frame, 0..1
  --glare-spots N      soft bright spots
  --vignette S         brightness at the frame corners is 1 - S
  --backlight P        a bright window; the room is exposed darker
  --exposure LO:HI     gain on the whole frame (under- < 1 < over-exposed)
  --barrel K           barrel distortion at the frame corner
  --blur LO:HI         Gaussian blur sigma, px
  --defocus P:LO:HI    disk blur of radius LO..HI px
  --noise S            sensor noise sigma, grey levels
  --sharpen P:AMOUNT   firmware sharpening halos
  --chroma420 on|off   colour JPEG with 4:2:0 chroma subsampling, then grey
  --jpeg LO:HI         JPEG quality range (0: none)
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

// "a:b:c" -> numbers; exactly `n` of them.
std::vector<float> parse_numbers(const std::string& flag, const std::string& v, size_t n, const char* form) {
  std::vector<float> out;
  size_t start = 0;
  while (true) {
    const size_t c = v.find(':', start);
    out.push_back(to_float(flag, v.substr(start, c == std::string::npos ? std::string::npos : c - start)));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (out.size() != n) usage_error(flag + " '" + v + "': expected " + form);
  return out;
}

using cardpoll::scenes::Effects;
using EffectSetter = void (*)(Effects&, const std::vector<float>&);
struct EffectFlag {
  const char* flag;
  size_t values;
  const char* form;
  EffectSetter set;
};

// One entry per knob of scenes::Effects.
const EffectFlag kEffectFlags[] = {
    {"--roll", 1, "MAX", [](Effects& e, const std::vector<float>& v) { e.max_roll_deg = v[0]; }},
    {"--tilt", 1, "MAX", [](Effects& e, const std::vector<float>& v) { e.max_tilt_deg = v[0]; }},
    {"--fingers", 1, "P", [](Effects& e, const std::vector<float>& v) { e.finger_chance = v[0]; }},
    {"--paper", 2, "LO:HI", [](Effects& e, const std::vector<float>& v) { e.paper_lo = v[0]; e.paper_hi = v[1]; }},
    {"--tint", 1, "P", [](Effects& e, const std::vector<float>& v) { e.tint_chance = v[0]; }},
    {"--margin", 2, "LO:HI", [](Effects& e, const std::vector<float>& v) { e.margin_lo = v[0]; e.margin_hi = v[1]; }},
    {"--curl", 2, "P:MAX", [](Effects& e, const std::vector<float>& v) { e.curl_chance = v[0]; e.curl_max = v[1]; }},
    {"--glare-band", 1, "P", [](Effects& e, const std::vector<float>& v) { e.glare_band_chance = v[0]; }},
    {"--motion", 3, "P:LO:HI", [](Effects& e, const std::vector<float>& v) { e.motion_chance = v[0]; e.motion_lo = v[1]; e.motion_hi = v[2]; }},
    {"--clutter", 1, "N", [](Effects& e, const std::vector<float>& v) { e.clutter = static_cast<int>(v[0]); }},
    {"--big-clutter", 1, "N", [](Effects& e, const std::vector<float>& v) { e.big_clutter = static_cast<int>(v[0]); }},
    {"--backdrop", 1, "P", [](Effects& e, const std::vector<float>& v) { e.backdrop_chance = v[0]; }},
    {"--gradient", 1, "S", [](Effects& e, const std::vector<float>& v) { e.gradient = v[0]; }},
    {"--glare-spots", 1, "N", [](Effects& e, const std::vector<float>& v) { e.glare_spots = static_cast<int>(v[0]); }},
    {"--vignette", 1, "S", [](Effects& e, const std::vector<float>& v) { e.vignette = v[0]; }},
    {"--backlight", 1, "P", [](Effects& e, const std::vector<float>& v) { e.backlight_chance = v[0]; }},
    {"--exposure", 2, "LO:HI", [](Effects& e, const std::vector<float>& v) { e.exposure_lo = v[0]; e.exposure_hi = v[1]; }},
    {"--barrel", 1, "K", [](Effects& e, const std::vector<float>& v) { e.barrel = v[0]; }},
    {"--blur", 2, "LO:HI", [](Effects& e, const std::vector<float>& v) { e.blur_lo = v[0]; e.blur_hi = v[1]; }},
    {"--defocus", 3, "P:LO:HI", [](Effects& e, const std::vector<float>& v) { e.defocus_chance = v[0]; e.defocus_lo = v[1]; e.defocus_hi = v[2]; }},
    {"--noise", 1, "S", [](Effects& e, const std::vector<float>& v) { e.noise = v[0]; }},
    {"--sharpen", 2, "P:AMOUNT", [](Effects& e, const std::vector<float>& v) { e.sharpen_chance = v[0]; e.sharpen_amount = v[1]; }},
    {"--jpeg", 2, "LO:HI", [](Effects& e, const std::vector<float>& v) { e.jpeg_lo = static_cast<int>(v[0]); e.jpeg_hi = static_cast<int>(v[1]); }},
};

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
  std::vector<std::pair<const EffectFlag*, std::vector<float>>> effect_changes;
  int chroma = -1;  // -1: the preset's
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
    else if (a == "--chroma420") {
      const std::string v = value();
      if (v != "on" && v != "off") usage_error("--chroma420 '" + v + "': expected on or off");
      chroma = v == "on";
    } else {
      const EffectFlag* ef = nullptr;
      for (const auto& f : kEffectFlags)
        if (a == f.flag) ef = &f;
      if (!ef) usage_error("unknown option '" + a + "'");
      effect_changes.emplace_back(ef, parse_numbers(a, value(), ef->values, ef->form));
    }
  }
  if (!effect_changes.empty() || chroma >= 0) {  // on top of the (final) difficulty's preset
    Effects e = effects_of(spec.difficulty);
    for (const auto& [f, v] : effect_changes) f->set(e, v);
    if (chroma >= 0) e.chroma_420 = chroma == 1;
    spec.effects = e;
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
