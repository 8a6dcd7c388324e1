// JsonWriter and parse_json on top of nlohmann-json (Debian nlohmann-json3-dev). What this
// file adds to the library is only what cardpoll's output contract needs: the number format
// (doubles with at most 6 decimals, integral values without a point), invalid UTF-8 shown as
// U+FFFD instead of refused, DEL escaped like the other control characters, and a reader
// that refuses duplicate keys and absurd nesting.
#include "core/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cardpoll {

using Json = nlohmann::ordered_json;  // keys in the order they were written

namespace {

// Every byte that does not start a valid UTF-8 character becomes U+FFFD, one per byte.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_char_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// nlohmann escapes control characters below 0x20 but writes DEL as it is; cardpoll's output
// has always escaped it. A 0x7F byte can only be inside a string (JSON's own syntax has none,
// and it is never part of a multi-byte UTF-8 character), so replacing it is exact.
std::string escape_del(std::string text) {
  for (size_t at = 0; (at = text.find('\x7f', at)) != std::string::npos; at += 6) text.replace(at, 1, "\\u007f");
  return text;
}

std::string dump(const Json& j, int indent) {
  return escape_del(j.dump(indent > 0 ? indent : -1, ' ', false, Json::error_handler_t::strict));
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

std::string json_quote(std::string_view s) { return dump(Json(valid_utf8(s)), 0); }

// ---- writer: builds an nlohmann document, level by level ----

struct JsonWriter::Doc {
  struct Level {
    Json* node;
    std::string key;  // the key waiting for its value (objects)
    bool key_pending = false;
  };
  Json root;
  std::vector<Level> stack;
  bool done = false;

  // Puts `v` where the next value goes; returns where it now lives.
  Json* place(Json v) {
    if (done) throw std::logic_error("JsonWriter: a value after the document was complete");
    if (stack.empty()) {
      root = std::move(v);
      if (!root.is_structured()) done = true;
      return &root;
    }
    Level& top = stack.back();
    if (top.node->is_object()) {
      if (!top.key_pending) throw std::logic_error("JsonWriter: a value in an object needs a key");
      top.key_pending = false;
      auto [it, fresh] = top.node->emplace(top.key, std::move(v));
      if (!fresh) throw std::logic_error("JsonWriter: key \"" + top.key + "\" written twice");
      return &it.value();
    }
    top.node->push_back(std::move(v));
    return &top.node->back();
  }
  void open(Json empty) { stack.push_back({place(std::move(empty)), {}, false}); }
  void close(bool object) {
    if (stack.empty() || stack.back().node->is_object() != object || stack.back().key_pending)
      throw std::logic_error(object ? "JsonWriter: end_object without a matching begin_object"
                                    : "JsonWriter: end_array without a matching begin_array");
    stack.pop_back();
    if (stack.empty()) done = true;
  }
};

JsonWriter::JsonWriter(int indent) : doc_(std::make_unique<Doc>()), indent_(indent) {}
JsonWriter::~JsonWriter() = default;
JsonWriter::JsonWriter(JsonWriter&&) noexcept = default;
JsonWriter& JsonWriter::operator=(JsonWriter&&) noexcept = default;

JsonWriter& JsonWriter::begin_object() {
  doc_->open(Json::object());
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  doc_->open(Json::array());
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  doc_->close(true);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  doc_->close(false);
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (doc_->stack.empty() || !doc_->stack.back().node->is_object() || doc_->stack.back().key_pending)
    throw std::logic_error("JsonWriter: key outside an object or two keys in a row");
  doc_->stack.back().key = valid_utf8(k);
  doc_->stack.back().key_pending = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  doc_->place(Json(valid_utf8(s)));
  return *this;
}
JsonWriter& JsonWriter::value(int64_t n) {
  doc_->place(Json(n));
  return *this;
}
JsonWriter& JsonWriter::value(bool b) {
  doc_->place(Json(b));
  return *this;
}
JsonWriter& JsonWriter::null() {
  doc_->place(Json(nullptr));
  return *this;
}

// cardpoll's numbers: at most 6 decimals (percentages, pixel coordinates, milliseconds),
// integral values as integers ("1", not "1.0"), NaN and infinities as null.
JsonWriter& JsonWriter::value(double d) {
  if (!std::isfinite(d)) return null();
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.6f", d);
  const double rounded = std::strtod(buf, nullptr);
  if (rounded == std::floor(rounded) && std::fabs(rounded) < 9.2e18)
    doc_->place(Json(static_cast<int64_t>(rounded)));
  else
    doc_->place(Json(rounded));
  return *this;
}

std::string JsonWriter::str() const {
  if (!doc_->stack.empty() || !doc_->done) throw std::logic_error("JsonWriter: document is not complete");
  const std::string text = dump(doc_->root, indent_);
  return indent_ > 0 ? text + "\n" : text;
}

// ---- reader ----

namespace {

constexpr int kMaxDepth = 200;

JsonValue convert(const nlohmann::json& j) {
  JsonValue out;
  switch (j.type()) {
    case nlohmann::json::value_t::null: out.v = nullptr; break;
    case nlohmann::json::value_t::boolean: out.v = j.get<bool>(); break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: out.v = j.get<double>(); break;
    case nlohmann::json::value_t::string: out.v = j.get<std::string>(); break;
    case nlohmann::json::value_t::array: {
      JsonValue::Array a;
      a.reserve(j.size());
      for (const auto& e : j) a.push_back(convert(e));
      out.v = std::move(a);
      break;
    }
    case nlohmann::json::value_t::object: {
      JsonValue::Object o;
      for (const auto& [k, e] : j.items()) o.emplace(k, convert(e));
      out.v = std::move(o);
      break;
    }
    default: throw std::runtime_error("JSON: binary values are not JSON text");
  }
  return out;
}

}  // namespace

JsonValue parse_json(std::string_view text) {
  // The library keeps the last of duplicate keys silently and nests without limit; a
  // document cardpoll reads must not be ambiguous, so the parse callback refuses both.
  std::vector<std::vector<std::string>> keys;  // per open object, the keys seen so far
  std::string problem;
  auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (depth > kMaxDepth) throw std::runtime_error("JSON: nesting too deep (more than 200 levels)");
    if (event == E::object_start) keys.emplace_back();
    else if (event == E::object_end && !keys.empty()) keys.pop_back();
    else if (event == E::key && !keys.empty()) {
      const std::string k = parsed.get<std::string>();
      for (const auto& seen : keys.back())
        if (seen == k) throw std::runtime_error("JSON: duplicate key \"" + k + "\"");
      keys.back().push_back(k);
    }
    return true;
  };
  try {
    return convert(nlohmann::json::parse(text.begin(), text.end(), check));
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number too large for a double (found by fuzz_json)
    throw std::runtime_error(std::string("JSON: ") + e.what());
  }
}

// ---- JsonValue access ----

namespace {
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
  if (index >= a.size()) throw std::runtime_error("JSON: index " + std::to_string(index) + " past the end");
  return a[index];
}

bool JsonValue::has(std::string_view key) const { return is_object() && obj().find(key) != obj().end(); }

}  // namespace cardpoll
