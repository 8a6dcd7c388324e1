#include "display/print/font_fallback.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include <fontconfig/fontconfig.h>

namespace cardpoll::print {

namespace {

// A face with the characters it has, to test fallback candidates without asking fontconfig.
struct KnownFace {
  FontFace face;
  FcCharSet* chars = nullptr;  // owned
};

struct Fallbacks {
  std::mutex mutex;
  FcConfig* config = nullptr;
  KnownFace primary[2];                       // regular, bold
  std::vector<KnownFace> found[2];            // fallback faces met so far
  std::map<uint32_t, FontFace> cache[2];      // character -> face
};

std::string get_string(FcPattern* p, const char* object) {
  FcChar8* v = nullptr;
  return FcPatternGetString(p, object, 0, &v) == FcResultMatch ? reinterpret_cast<const char*>(v) : "";
}

KnownFace known_face(FcPattern* p) {
  KnownFace k;
  k.face.family = get_string(p, FC_FAMILY);
  k.face.file = get_string(p, FC_FILE);
  int index = 0;
  if (FcPatternGetInteger(p, FC_INDEX, 0, &index) == FcResultMatch) k.face.index = index;
  FcCharSet* cs = nullptr;
  if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) == FcResultMatch && cs) k.chars = FcCharSetCopy(cs);
  return k;
}

// DejaVu Sans as fontconfig resolves it; fontconfig always answers with *some* font, so the
// family is checked.
KnownFace find_primary(FcConfig* config, bool bold) {
  FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(bold ? "DejaVu Sans:style=Bold" : "DejaVu Sans:style=Book"));
  FcConfigSubstitute(config, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(config, pattern, &result);
  FcPatternDestroy(pattern);
  KnownFace k;
  if (match) {
    k = known_face(match);
    FcPatternDestroy(match);
  }
  if (k.face.family.rfind("DejaVu Sans", 0) != 0 || k.face.file.empty()) {
    if (k.chars) FcCharSetDestroy(k.chars);
    throw std::runtime_error("fontconfig finds no 'DejaVu Sans' font: install the fonts-dejavu-core package");
  }
  return k;
}

Fallbacks& state() {
  static Fallbacks* s = [] {
    auto* f = new Fallbacks;  // process lifetime: fontconfig's own cache lives as long
    if (!FcInit()) throw std::runtime_error("fontconfig: cannot load its configuration");
    f->config = FcConfigGetCurrent();
    return f;
  }();
  return *s;
}

bool has(const KnownFace& k, uint32_t cp) { return k.chars && FcCharSetHasChar(k.chars, cp); }

// Asks fontconfig for the sans-serif fonts ranked for `cp` and takes the first that has it.
std::optional<KnownFace> search(FcConfig* config, uint32_t cp, bool bold) {
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>("sans-serif"));
  FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcCharSet* want = FcCharSetCreate();
  FcCharSetAddChar(want, cp);
  FcPatternAddCharSet(pattern, FC_CHARSET, want);
  FcCharSetDestroy(want);
  FcConfigSubstitute(config, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcFontSet* sorted = FcFontSort(config, pattern, FcFalse, nullptr, &result);
  FcPatternDestroy(pattern);
  std::optional<KnownFace> out;
  for (int i = 0; sorted && i < sorted->nfont && !out; ++i) {
    FcCharSet* cs = nullptr;
    if (FcPatternGetCharSet(sorted->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch && cs && FcCharSetHasChar(cs, cp)) {
      KnownFace k = known_face(sorted->fonts[i]);
      if (!k.face.file.empty()) out = std::move(k);
      else if (k.chars) FcCharSetDestroy(k.chars);
    }
  }
  if (sorted) FcFontSetDestroy(sorted);
  return out;
}

// Decodes one UTF-8 character at s[i]; invalid bytes are U+FFFD, one byte each.
uint32_t next_char(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  i += n;
  return cp;
}

bool right_to_left(uint32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

}  // namespace

std::string visual_order(std::string_view text) {
  struct Char {
    std::string_view bytes;
    bool rtl;
  };
  std::vector<Char> chars;
  bool any = false;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const uint32_t cp = next_char(text, i);
    chars.push_back({text.substr(start, i - start), right_to_left(cp)});
    any = any || chars.back().rtl;
  }
  if (!any) return std::string(text);
  std::string out;
  for (size_t k = 0; k < chars.size();) {
    if (!chars[k].rtl) {
      out.append(chars[k++].bytes);
      continue;
    }
    // A run: right-to-left letters and the spaces between them (not trailing ones).
    size_t end = k;
    for (size_t j = k; j < chars.size() && (chars[j].rtl || chars[j].bytes == " "); ++j)
      if (chars[j].rtl) end = j + 1;
    for (size_t j = end; j-- > k;) out.append(chars[j].bytes);
    k = end;
  }
  return out;
}

const FontFace& primary_face(bool bold) {
  Fallbacks& s = state();
  std::lock_guard lock(s.mutex);
  KnownFace& p = s.primary[bold];
  if (p.face.file.empty()) p = find_primary(s.config, bold);
  return p.face;
}

FontFace face_for(uint32_t cp, bool bold) {
  primary_face(bold);  // loads it (and throws when DejaVu is missing)
  Fallbacks& s = state();
  std::lock_guard lock(s.mutex);
  const KnownFace& primary = s.primary[bold];
  // Spaces, controls and the primary font's own characters never switch fonts.
  if (cp < 0x80 || has(primary, cp)) return primary.face;
  auto& cache = s.cache[bold];
  if (auto it = cache.find(cp); it != cache.end()) return it->second;
  FontFace chosen = primary.face;
  bool known = false;
  for (const KnownFace& k : s.found[bold])
    if (has(k, cp)) {
      chosen = k.face, known = true;
      break;
    }
  if (!known)
    if (auto k = search(s.config, cp, bold)) {
      chosen = k->face;
      s.found[bold].push_back(std::move(*k));
    }
  cache.emplace(cp, chosen);
  return chosen;
}

std::vector<TextRun> split_by_font(std::string_view text, bool bold) {
  std::vector<TextRun> runs;
  // Most text on screen is ASCII (numbers, labels): one run, no look-ups. Layouts measure text
  // every frame, so this path matters.
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    if (!text.empty()) runs.push_back({std::string(text), primary_face(bold)});
    return runs;
  }
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const uint32_t cp = next_char(text, i);
    // A space between two runs of one fallback font stays in that run.
    const bool neutral = cp == ' ' && !runs.empty();
    const FontFace face = neutral ? runs.back().face : face_for(cp, bold);
    if (runs.empty() || !(runs.back().face == face)) runs.push_back({"", face});
    runs.back().text.append(text.substr(start, i - start));
  }
  return runs;
}

}  // namespace cardpoll::print
