// cardpoll's JSON writer and reader, on top of nlohmann-json (core/json.cpp). The writer keeps
// the byte format every export and `scan --json` have always had (tests/data/json,
// tests/data/export and tests/data/scan hold golden files):
//
// Writer: strings are escaped per RFC 8259 (quote, backslash, every control character);
// valid UTF-8 passes through unchanged, invalid bytes become U+FFFD so the output is always
// valid JSON. Numbers: integers exactly; doubles with up to 6 decimals, trailing zeros
// removed; NaN/inf become null (JSON has no such numbers).
//
//   JsonWriter w;                  // pretty-printed with 2-space indent; JsonWriter w(0) compact
//   w.begin_object();
//   w.key("name").value("Ana");
//   w.key("cards").begin_array().value(3).value(7).end_array();
//   w.end_object();
//   std::string text = w.str();    // std::logic_error if objects/arrays are still open
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cardpoll {

// Bytes in the valid UTF-8 character starting at s[i], or 0 when the bytes there are not valid
// UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid too).
size_t utf8_char_length(std::string_view s, size_t i);

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(int indent = 2);
  ~JsonWriter();
  JsonWriter(JsonWriter&&) noexcept;
  JsonWriter& operator=(JsonWriter&&) noexcept;

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);  // only inside an object, before each value
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& value(double d);
  JsonWriter& value(bool b);
  JsonWriter& null();
  template <typename T>
  JsonWriter& value(const std::optional<T>& v) { return v ? value(*v) : null(); }

  // The finished document, with a trailing newline when pretty-printing.
  std::string str() const;

 private:
  struct Doc;  // the nlohmann document being built
  std::unique_ptr<Doc> doc_;
  int indent_;
};

// Reader: a parsed JSON value. Objects keep keys sorted (std::map); duplicate keys are refused.
struct JsonValue {
  using Array = std::vector<JsonValue>;
  using Object = std::map<std::string, JsonValue, std::less<>>;
  std::variant<std::nullptr_t, bool, double, std::string, Array, Object> v;

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v); }
  bool is_object() const { return std::holds_alternative<Object>(v); }
  bool is_array() const { return std::holds_alternative<Array>(v); }
  // Typed access: std::runtime_error naming the expected type when it is another.
  const std::string& str() const;
  double num() const;
  bool boolean() const;
  const Array& arr() const;
  const Object& obj() const;
  // Object member; std::runtime_error naming the key when missing.
  const JsonValue& operator[](std::string_view key) const;
  const JsonValue& operator[](size_t index) const;
  bool has(std::string_view key) const;
};

// Parses a complete JSON document (RFC 8259, \u escapes incl. surrogate pairs); throws
// std::runtime_error naming the byte offset of the problem, and for duplicate keys and
// nesting deeper than 200 levels.
JsonValue parse_json(std::string_view text);

}  // namespace cardpoll
