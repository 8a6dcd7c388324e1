#include "core/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace cardpoll {

namespace {

void append_utf8(std::string& out, uint32_t cp) {
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

}  // namespace

size_t utf8_char_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (n == 3 && ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) >= 0xA0))) return 0;
  if (n == 4 && ((c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) >= 0x90))) return 0;
  return n;
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\b': out += "\\b"; ++i; continue;
      case '\f': out += "\\f"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      ++i;
      continue;
    }
    const size_t n = utf8_char_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD: keep the document valid whatever the input
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
  return out;
}

void JsonWriter::newline() {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (done_) throw std::logic_error("JsonWriter: a value after the document was complete");
  if (stack_.empty()) return;
  Level& top = stack_.back();
  if (top.scope == Scope::Object) {
    if (!top.key_pending) throw std::logic_error("JsonWriter: a value in an object needs a key");
    top.key_pending = false;
    return;
  }
  if (top.items++) out_ += ',';
  newline();
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (stack_.empty() || stack_.back().scope != Scope::Object || stack_.back().key_pending)
    throw std::logic_error("JsonWriter: key outside an object or two keys in a row");
  Level& top = stack_.back();
  if (top.items++) out_ += ',';
  newline();
  out_ += json_quote(k);
  out_ += indent_ > 0 ? ": " : ":";
  top.key_pending = true;
  return *this;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({Scope::Object});
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({Scope::Array});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  if (stack_.empty() || stack_.back().scope != Scope::Object || stack_.back().key_pending)
    throw std::logic_error("JsonWriter: end_object without a matching begin_object");
  const bool had_items = stack_.back().items > 0;
  stack_.pop_back();
  if (had_items) newline();
  out_ += '}';
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  if (stack_.empty() || stack_.back().scope != Scope::Array)
    throw std::logic_error("JsonWriter: end_array without a matching begin_array");
  const bool had_items = stack_.back().items > 0;
  stack_.pop_back();
  if (had_items) newline();
  out_ += ']';
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  out_ += json_quote(s);
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
  before_value();
  out_ += std::to_string(n);
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    out_ += "null";
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", d);
    std::string t = buf;
    while (!t.empty() && t.back() == '0') t.pop_back();
    if (!t.empty() && t.back() == '.') t.pop_back();
    if (t == "-0") t = "0";
    out_ += t;
  }
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  if (stack_.empty()) done_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  if (stack_.empty()) done_ = true;
  return *this;
}

std::string JsonWriter::str() const {
  if (!stack_.empty() || !done_) throw std::logic_error("JsonWriter: document is not complete");
  return indent_ > 0 ? out_ + "\n" : out_;
}

// ---- reader ----

namespace {

struct Parser {
  std::string_view s;
  size_t i = 0;
  int depth = 0;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("JSON: " + what + " at byte " + std::to_string(i));
  }
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  bool eat(std::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  }
  uint32_t hex4() {
    if (i + 4 > s.size()) fail("short \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else fail("bad hex digit in \\u escape");
    }
    return v;
  }
  std::string string() {
    if (i >= s.size() || s[i] != '"') fail("expected a string");
    ++i;
    std::string out;
    for (;;) {
      if (i >= s.size()) fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') {
        ++i;
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c == '\\') {
        ++i;
        if (i >= s.size()) fail("unterminated escape");
        const char e = s[i++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            uint32_t cp = hex4();
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (!eat("\\u")) fail("lone high surrogate");
              const uint32_t lo = hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail("bad low surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail("lone low surrogate");
            }
            append_utf8(out, cp);
            break;
          }
          default: fail("unknown escape");
        }
        continue;
      }
      const size_t n = utf8_char_length(s, i);
      if (n == 0) fail("invalid UTF-8");
      out.append(s.substr(i, n));
      i += n;
    }
  }
  double number() {
    const size_t start = i;
    if (i < s.size() && s[i] == '-') ++i;
    if (i >= s.size() || !(s[i] >= '0' && s[i] <= '9')) fail("expected a value");
    if (s[i] == '0') ++i;
    else while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (i >= s.size() || !(s[i] >= '0' && s[i] <= '9')) fail("digit expected after '.'");
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= s.size() || !(s[i] >= '0' && s[i] <= '9')) fail("digit expected in exponent");
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    return std::strtod(std::string(s.substr(start, i - start)).c_str(), nullptr);
  }
  JsonValue value() {
    if (++depth > 200) fail("nesting too deep");
    ws();
    if (i >= s.size()) fail("unexpected end");
    JsonValue out;
    const char c = s[i];
    if (c == '{') {
      ++i;
      JsonValue::Object obj;
      ws();
      if (i < s.size() && s[i] == '}') {
        ++i;
      } else {
        for (;;) {
          ws();
          std::string k = string();
          ws();
          if (!eat(":")) fail("expected ':'");
          JsonValue v = value();
          if (!obj.emplace(std::move(k), std::move(v)).second) fail("duplicate key");
          ws();
          if (eat(",")) continue;
          if (eat("}")) break;
          fail("expected ',' or '}'");
        }
      }
      out.v = std::move(obj);
    } else if (c == '[') {
      ++i;
      JsonValue::Array arr;
      ws();
      if (i < s.size() && s[i] == ']') {
        ++i;
      } else {
        for (;;) {
          arr.push_back(value());
          ws();
          if (eat(",")) continue;
          if (eat("]")) break;
          fail("expected ',' or ']'");
        }
      }
      out.v = std::move(arr);
    } else if (c == '"') {
      out.v = string();
    } else if (eat("true")) {
      out.v = true;
    } else if (eat("false")) {
      out.v = false;
    } else if (eat("null")) {
      out.v = nullptr;
    } else {
      out.v = number();
    }
    --depth;
    return out;
  }
};

template <typename T>
const T& as(const JsonValue& j, const char* what) {
  if (const T* p = std::get_if<T>(&j.v)) return *p;
  throw std::runtime_error(std::string("JSON: expected ") + what);
}

}  // namespace

const std::string& JsonValue::str() const { return as<std::string>(*this, "a string"); }
double JsonValue::num() const { return as<double>(*this, "a number"); }
bool JsonValue::boolean() const { return as<bool>(*this, "true or false"); }
const JsonValue::Array& JsonValue::arr() const { return as<Array>(*this, "an array"); }
const JsonValue::Object& JsonValue::obj() const { return as<Object>(*this, "an object"); }

const JsonValue& JsonValue::operator[](std::string_view key) const {
  const Object& o = obj();
  const auto it = o.find(key);
  if (it == o.end()) throw std::runtime_error("JSON: no member \"" + std::string(key) + "\"");
  return it->second;
}

const JsonValue& JsonValue::operator[](size_t index) const {
  const Array& a = arr();
  if (index >= a.size())
    throw std::runtime_error("JSON: index " + std::to_string(index) + " past the end");
  return a[index];
}

bool JsonValue::has(std::string_view key) const {
  return is_object() && obj().find(key) != obj().end();
}

JsonValue parse_json(std::string_view text) {
  Parser p{text};
  JsonValue v = p.value();
  p.ws();
  if (p.i != text.size()) p.fail("text after the document");
  return v;
}

}  // namespace cardpoll
