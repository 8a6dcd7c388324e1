#include "core/exchange/moodle_text.h"

#include <array>
#include <cstdint>
#include <cstdlib>

#include "core/csv.h"

namespace cardpoll {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void append_utf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct Entity {
  const char* name;
  uint32_t cp;
};

// The named entities that Moodle's editors (TinyMCE, Atto) write, and the Latin letters of
// the languages our schools teach in.
constexpr std::array<Entity, 72> kEntities = {{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},     {"reg", 0xAE},      {"deg", 0xB0},      {"plusmn", 0xB1},
    {"sup2", 0xB2},    {"sup3", 0xB3},     {"micro", 0xB5},    {"middot", 0xB7},   {"frac14", 0xBC},
    {"frac12", 0xBD},  {"frac34", 0xBE},   {"iquest", 0xBF},   {"iexcl", 0xA1},    {"times", 0xD7},
    {"divide", 0xF7},  {"laquo", 0xAB},    {"raquo", 0xBB},    {"szlig", 0xDF},    {"agrave", 0xE0},
    {"aacute", 0xE1},  {"acirc", 0xE2},    {"atilde", 0xE3},   {"auml", 0xE4},     {"ccedil", 0xE7},
    {"egrave", 0xE8},  {"eacute", 0xE9},   {"ecirc", 0xEA},    {"euml", 0xEB},     {"igrave", 0xEC},
    {"iacute", 0xED},  {"icirc", 0xEE},    {"iuml", 0xEF},     {"ntilde", 0xF1},   {"ograve", 0xF2},
    {"oacute", 0xF3},  {"ocirc", 0xF4},    {"otilde", 0xF5},   {"ouml", 0xF6},     {"ugrave", 0xF9},
    {"uacute", 0xFA},  {"ucirc", 0xFB},    {"uuml", 0xFC},     {"Agrave", 0xC0},   {"Aacute", 0xC1},
    {"Auml", 0xC4},    {"Ccedil", 0xC7},   {"Egrave", 0xC8},   {"Eacute", 0xC9},   {"Iacute", 0xCD},
    {"Ntilde", 0xD1},  {"Oacute", 0xD3},   {"Ouml", 0xD6},     {"Uacute", 0xDA},   {"Uuml", 0xDC},
    {"ndash", 0x2013}, {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"hellip", 0x2026}, {"euro", 0x20AC},   {"pound", 0xA3},    {"le", 0x2264},
    {"ge", 0x2265},    {"ne", 0x2260},
}};

// Decodes the entity starting at s[i] ('&'); returns the bytes consumed (0: not an entity).
size_t decode_entity(std::string_view s, size_t i, std::string& out) {
  const size_t semi = s.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12) return 0;
  const std::string_view body = s.substr(i + 1, semi - i - 1);
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string digits(body.substr(hex ? 2 : 1));
    if (digits.empty()) return 0;
    for (char c : digits)
      if (!(c >= '0' && c <= '9') && !(hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) return 0;
    append_utf8(out, static_cast<uint32_t>(std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10)));
    return semi - i + 1;
  }
  for (const Entity& e : kEntities)
    if (body == e.name) {
      append_utf8(out, e.cp);
      return semi - i + 1;
    }
  return 0;
}

std::string decode_entities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&')
      if (const size_t n = decode_entity(s, i, out)) {
        i += n - 1;
        continue;
      }
    out += s[i];
  }
  return out;
}

// A tag at s[i] ('<'): its end (one past '>') or 0 when this '<' is plain text.
size_t tag_end(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return 0;
  const char c = s[i + 1];
  if (!is_letter(c) && c != '/' && c != '!') return 0;
  const size_t close = s.find('>', i + 1);
  return close == std::string_view::npos ? 0 : close + 1;
}

// "<BR />" -> "br", "</p>" -> "/p".
std::string tag_name(std::string_view tag) {
  std::string name;
  for (size_t k = 1; k < tag.size(); ++k) {
    const char c = tag[k];
    if (c == '/' && name.empty()) {
      name += '/';
      continue;
    }
    if (!is_letter(c) && !(c >= '0' && c <= '9')) break;
    name += static_cast<char>(c | 0x20);
  }
  return name;
}

bool ends_line(const std::string& name) {
  const std::string n = name.empty() || name[0] != '/' ? name : name.substr(1);
  return n == "br" || n == "p" || n == "div" || n == "li" || n == "tr" || n == "ul" || n == "ol" ||
         n == "table" || n == "blockquote" || (n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6');
}

bool has_tags(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '<' && tag_end(s, i)) return true;
  return false;
}

// Line by line: trimmed, runs of spaces as one, empty lines dropped (outside <pre>). `keep`
// marks bytes from a <pre> block.
std::string tidy(const std::string& s, const std::vector<bool>& keep) {
  std::vector<std::string> lines(1);
  std::vector<bool> line_kept(1, false);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      lines.emplace_back();
      line_kept.push_back(false);
      continue;
    }
    if (keep[i]) {
      line_kept.back() = true;
      lines.back() += s[i];
      continue;
    }
    const char c = (s[i] == '\t' || s[i] == '\r') ? ' ' : s[i];
    if (c == ' ' && (lines.back().empty() || lines.back().back() == ' ')) continue;
    lines.back() += c;
  }
  // A projector has little room: paragraphs are lines, without empty lines between them.
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    const std::string l = line_kept[k] ? lines[k] : trim_blanks(lines[k]);
    if (trim_blanks(l).empty()) continue;
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

}  // namespace

std::string_view drop_format_marker(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && is_blank(text[i])) ++i;
  for (std::string_view m : {"[html]", "[moodle]", "[plain]", "[markdown]"})
    if (text.size() - i >= m.size() && lower_ascii(text.substr(i, m.size())) == m) return text.substr(i + m.size());
  return text;
}

std::string clean_moodle_text(std::string_view raw) {
  const std::string_view text = drop_format_marker(raw);
  const bool html = has_tags(text);
  std::string out;
  std::vector<bool> keep;  // per byte of out: inside <pre>, left as it is
  auto emit = [&](std::string_view part, bool kept) {
    out.append(part);
    keep.insert(keep.end(), part.size(), kept);
  };
  bool in_pre = false;
  size_t plain_from = 0;
  auto flush = [&](size_t to) {
    std::string part = decode_entities(text.substr(plain_from, to - plain_from));
    if (html && !in_pre)
      for (char& c : part)
        if (c == '\n' || c == '\r') c = ' ';  // in HTML a line break in the source is a space
    // A no-break space (U+00A0, what &nbsp; decodes to) is a plain space on a projector.
    // (Copied rather than replaced in place: GCC 12 warns falsely on string::replace here.)
    std::string spaced;
    spaced.reserve(part.size());
    for (size_t k = 0; k < part.size(); ++k) {
      if (part[k] == '\xC2' && k + 1 < part.size() && part[k + 1] == '\xA0') {
        spaced += ' ';
        ++k;
      } else {
        spaced += part[k];
      }
    }
    emit(spaced, in_pre);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '<') continue;
    const size_t end = tag_end(text, i);
    if (!end) continue;
    flush(i);
    const std::string name = tag_name(text.substr(i, end - i));
    if (name == "pre") {
      emit("\n", false);
      in_pre = true;
    } else if (name == "/pre") {
      in_pre = false;
      emit("\n", false);
    } else if (!in_pre && name == "li") {
      emit("\n\xE2\x80\xA2 ", false);  // a list item: "• item" on its own line
    } else if (!in_pre && ends_line(name)) {
      emit("\n", false);
    }
    plain_from = end;
    i = end - 1;
  }
  flush(text.size());
  return tidy(out, keep);
}

}  // namespace cardpoll
