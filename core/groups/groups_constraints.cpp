// The constraints file of `cardpoll groups suggest --constraints FILE` (docs/groups.md):
//
//   # lines starting with # are comments; blank lines are ignored
//   size: 3-4            group size, or "size: 4" for exactly four
//   apart: Ana G., Ben   no two of these in one group
//   together: Cy, Dee    all of these in one group
//   anchor: off          do not anchor el students with a home-language peer (default on)
//
// Names are separated by commas and match a student's display name, "first last", or a first
// name that only one student has (any case); "#12" means whoever holds card 12.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/groups/groups.h"

namespace cardpoll {

namespace {

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parse_int(const std::string& s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

GroupConstraints parse_group_constraints(std::string_view text, const std::string& file_name,
                                         const std::vector<Student>& roster,
                                         GroupConstraints defaults) {
  GroupConstraints out = std::move(defaults);
  int line_no = 0;
  auto fail = [&](const std::string& what) -> GroupingError {
    return GroupingError(file_name + ":" + std::to_string(line_no) + ": " + what);
  };
  auto find_student = [&](const std::string& raw) -> Id {
    const std::string name = lower(trim(raw));
    if (name.empty()) throw fail("empty name (two commas in a row?)");
    if (name[0] == '#') {
      int card = 0;
      if (!parse_int(name.substr(1), card)) throw fail("'" + trim(raw) + "' is not a card number like #12");
      for (const auto& s : roster)
        if (s.card == card) return s.id;
      throw fail("no student holds card " + std::to_string(card));
    }
    for (const auto& s : roster)
      if (lower(s.display_name) == name || lower(s.first_name + " " + s.last_name) == name)
        return s.id;
    std::vector<const Student*> by_first;
    for (const auto& s : roster)
      if (lower(s.first_name) == name) by_first.push_back(&s);
    if (by_first.size() == 1) return by_first[0]->id;
    if (by_first.size() > 1) {
      std::string which;
      for (const auto* s : by_first) which += (which.empty() ? "" : ", ") + s->display_name;
      throw fail("'" + trim(raw) + "' could be " + which + ": write the full name or #card");
    }
    throw fail("no student called '" + trim(raw) + "' in the class");
  };

  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos)
      throw fail("'" + line + "': expected 'size:', 'apart:', 'together:' or 'anchor:'");
    const std::string key = lower(trim(line.substr(0, colon)));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "size") {
      const size_t dash = value.find('-');
      int lo = 0, hi = 0;
      const bool ok = dash == std::string::npos
                          ? parse_int(value, lo) && (hi = lo, true)
                          : parse_int(trim(value.substr(0, dash)), lo) &&
                                parse_int(trim(value.substr(dash + 1)), hi);
      if (!ok || lo < 1 || hi < lo || hi > 50)
        throw fail("size '" + value + "': expected N or MIN-MAX with 1 <= MIN <= MAX <= 50");
      out.min_size = lo;
      out.max_size = hi;
    } else if (key == "apart" || key == "together") {
      std::vector<Id> ids;
      size_t p = 0;
      while (p <= value.size()) {
        size_t comma = value.find(',', p);
        if (comma == std::string::npos) comma = value.size();
        const Id id = find_student(value.substr(p, comma - p));
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
          throw fail("'" + trim(value.substr(p, comma - p)) + "' is named twice");
        ids.push_back(id);
        p = comma + 1;
      }
      if (ids.size() < 2) throw fail(key + " needs at least two names separated by commas");
      (key == "apart" ? out.keep_apart : out.keep_together).push_back(std::move(ids));
    } else if (key == "anchor") {
      const std::string v = lower(value);
      if (v == "on" || v == "yes")
        out.anchor_home_language = true;
      else if (v == "off" || v == "no")
        out.anchor_home_language = false;
      else
        throw fail("anchor '" + value + "': expected on or off");
    } else {
      throw fail("unknown setting '" + key + "': expected size, apart, together or anchor");
    }
  }
  return out;
}

}  // namespace cardpoll
