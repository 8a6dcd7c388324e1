#include "core/csv.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "core/json.h"

namespace cardpoll {

namespace {

std::string where(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

}  // namespace

ImportError::ImportError(std::string file_, int line_, std::string message_)
    : std::runtime_error(where(file_, line_) + ": " + message_),
      file(std::move(file_)),
      line(line_),
      message(std::move(message_)) {}

std::string format_warning(const std::string& file, const ImportWarning& w) {
  return where(file, w.line) + ": " + w.message;
}

std::string_view check_text(std::string_view text, const std::string& file_name) {
  if (text.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    throw ImportError(file_name, 0,
                      "this is a zip file (an .xlsx or .ods workbook?), not text; "
                      "save it from the spreadsheet as \"CSV UTF-8\"");
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    throw ImportError(file_name, 0, "the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\")");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\0')
      throw ImportError(file_name, line, "a NUL byte: this looks like a binary file, not text");
    if (c == '\n' || (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++line;
    const size_t n = utf8_char_length(text, i);
    if (n == 0)
      throw ImportError(file_name, line,
                        "invalid UTF-8 (byte " + std::to_string(i) +
                            "); save the file as UTF-8 (\"CSV UTF-8\" in a spreadsheet)");
    i += n;
  }
  return text;
}

std::string read_import_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ImportError(path.string(), 0, "is a directory, not a file");
  // A device (/dev/zero never ends), a FIFO (blocks) or a huge file is refused before it is
  // read: the error names the file instead of std::bad_alloc naming nothing.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw ImportError(path.string(), 0, "is not a regular file (a device, pipe or socket)");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxImportBytes)
    throw ImportError(path.string(), 0,
                      "is too large to import (" + std::to_string(size >> 20) + " MB; at most " +
                          std::to_string(kMaxImportBytes >> 20) + " MB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportError(path.string(), 0, "cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ImportError(path.string(), 0, "cannot read the file");
  return std::move(ss).str();
}

char detect_separator(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::array<int, 3> count{};  // , ; tab
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;  // a doubled quote toggles twice: still right
    else if (!quoted && (c == '\n' || c == '\r')) break;
    else if (!quoted && c == ',') ++count[0];
    else if (!quoted && c == ';') ++count[1];
    else if (!quoted && c == '\t') ++count[2];
  }
  if (count[1] > count[0] && count[1] >= count[2]) return ';';
  if (count[2] > count[0] && count[2] > count[1]) return '\t';
  return ',';
}

CsvTable parse_csv(std::string_view raw, const std::string& file_name, char separator) {
  std::string_view text = check_text(raw, file_name);
  CsvTable table;
  int line = 1;
  // Excel's "sep=;" first line names the separator; it is not a record.
  if (text.size() >= 5 && text.substr(0, 4) == "sep=" && text[4] != '\r' && text[4] != '\n' &&
      (text.size() == 5 || text[5] == '\r' || text[5] == '\n')) {
    if (!separator) separator = text[4];
    text.remove_prefix(5);
    if (!text.empty() && text[0] == '\r') text.remove_prefix(1);
    if (!text.empty() && text[0] == '\n') text.remove_prefix(1);
    line = 2;
  }
  table.separator = separator ? separator : detect_separator(text);
  const char sep = table.separator;

  size_t i = 0;
  const size_t n = text.size();
  // Consumes one line break at i (CRLF, LF or lone CR) if there is one.
  auto eat_newline = [&]() -> bool {
    if (i < n && text[i] == '\r') {
      ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      return true;
    }
    if (i < n && text[i] == '\n') {
      ++i;
      ++line;
      return true;
    }
    return false;
  };

  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    for (;;) {  // one field per iteration
      std::string field;
      size_t j = i;
      while (j < n && text[j] == ' ') ++j;  // spaces before an opening quote are tolerated
      if (j < n && text[j] == '"') {
        const int opened = line;
        i = j + 1;
        for (;;) {
          if (i >= n)
            throw ImportError(file_name, opened,
                              "a quoted field opened here is never closed (a missing '\"')");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\r' || c == '\n') {
            // Keep embedded line breaks as written, counting physical lines.
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
              field += "\r\n";
              i += 2;
            } else {
              field += c;
              ++i;
            }
            ++line;
            continue;
          }
          field += c;
          ++i;
        }
        while (i < n && text[i] == ' ') ++i;
        if (i < n && text[i] != sep && text[i] != '\r' && text[i] != '\n')
          throw ImportError(file_name, line,
                            "text after a closing quote; inside quotes write a quote as \"\"");
      } else {
        while (i < n && text[i] != sep && text[i] != '\r' && text[i] != '\n') field += text[i++];
      }
      rec.fields.push_back(std::move(field));
      if (i < n && text[i] == sep) {
        ++i;
        continue;
      }
      break;  // end of record: newline or end of text
    }
    eat_newline();
    table.records.push_back(std::move(rec));
  }
  return table;
}

std::string trim_blanks(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string header_key(std::string_view cell) {
  std::string out;
  for (char c : lower_ascii(trim_blanks(cell))) {
    if (c == '_' || c == '-' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && (out.back() == ':' || out.back() == '.' || out.back() == ')' || out.back() == ' '))
    out.pop_back();
  return out;
}

std::vector<std::string> split_tag_list(std::string_view cell) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
    cur.clear();
  };
  for (char c : cell) {
    if (c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') flush();
    else cur += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  flush();
  return out;
}

std::string neutralise_formula(std::string_view value) {
  if (!value.empty()) {
    const char c = value[0];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r')
      return "'" + std::string(value);
  }
  return std::string(value);
}

std::string csv_cell(std::string_view value, char separator) {
  std::string v = neutralise_formula(value);
  bool quote = !v.empty() && (v.front() == ' ' || v.back() == ' ');
  for (char c : v)
    if (c == separator || c == '"' || c == '\r' || c == '\n') quote = true;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(const std::vector<std::string>& cells, char separator) {
  std::string out;
  for (size_t k = 0; k < cells.size(); ++k) {
    if (k) out += separator;
    out += csv_cell(cells[k], separator);
  }
  out += "\r\n";
  return out;
}

}  // namespace cardpoll
