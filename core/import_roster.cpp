#include "core/import_roster.h"

#include <algorithm>
#include <map>
#include <set>

namespace cardpoll {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Runs of spaces inside a name become one space ("Ana  García" -> "Ana García").
std::string tidy_name(std::string_view raw) {
  // Spreadsheets paste non-breaking spaces (U+00A0) into names: they are spaces here.
  std::string s(raw);
  for (size_t at; (at = s.find("\xC2\xA0")) != std::string::npos;) s.replace(at, 2, " ");
  std::string out;
  for (char c : trim(s)) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

enum class Role { None, Name, First, Last, Card, Tags };

// Known header words, and for the name column an order of preference when several appear.
Role role_of(const std::string& key, int* name_rank) {
  static const std::vector<std::string> names = {"display name", "name",     "student name",
                                                 "full name",    "student",  "students",
                                                 "names",        "pupil",    "pupil name"};
  for (size_t k = 0; k < names.size(); ++k)
    if (key == names[k]) {
      *name_rank = static_cast<int>(k);
      return Role::Name;
    }
  static const std::set<std::string> first = {"first", "first name", "given name", "given names",
                                              "forename", "firstname", "givenname"};
  static const std::set<std::string> last = {"last", "last name", "surname", "family name",
                                             "lastname", "familyname"};
  static const std::set<std::string> card = {"card", "card number", "card #", "card no",
                                             "number", "card num", "cardnumber"};
  static const std::set<std::string> tags = {"tags", "tag"};
  if (first.count(key)) return Role::First;
  if (last.count(key)) return Role::Last;
  if (card.count(key)) return Role::Card;
  if (tags.count(key)) return Role::Tags;
  return Role::None;
}

bool blank_record(const CsvRecord& r) {
  for (const auto& f : r.fields)
    if (!trim(f).empty()) return false;
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

struct Columns {
  int name = -1, first = -1, last = -1, card = -1, tags = -1;
  size_t count = 0;
};

}  // namespace

std::vector<std::string> split_tags(std::string_view cell) { return split_tag_list(cell); }

RosterImport parse_roster_csv(std::string_view text, const std::string& file_name,
                              const RosterOptions& options) {
  const CsvTable table = parse_csv(text, file_name);
  RosterImport out;
  out.file = file_name;

  std::vector<const CsvRecord*> rows;
  for (const auto& r : table.records)
    if (!blank_record(r)) rows.push_back(&r);
  if (rows.empty()) throw ImportError(file_name, 0, "the file is empty: no students in it");

  // Header: the first non-blank row names at least one column we know.
  Columns col;
  {
    const CsvRecord& first = *rows.front();
    int best_rank = 1000;
    bool known = false;
    for (size_t k = 0; k < first.fields.size(); ++k) {
      int rank = 0;
      const Role role = role_of(header_key(first.fields[k]), &rank);
      const int idx = static_cast<int>(k);
      switch (role) {
        case Role::Name:
          if (rank < best_rank) best_rank = rank, col.name = idx;
          break;
        case Role::First: if (col.first < 0) col.first = idx; break;
        case Role::Last: if (col.last < 0) col.last = idx; break;
        case Role::Card: if (col.card < 0) col.card = idx; break;
        case Role::Tags: if (col.tags < 0) col.tags = idx; break;
        case Role::None: break;
      }
      known = known || role != Role::None;
    }
    col.count = first.fields.size();
    if (known) {
      out.had_header = true;
      if (col.name < 0 && col.first < 0 && col.last < 0)
        throw ImportError(file_name, first.line,
                          "no name column in the header: name one column \"name\" (or \"student\", "
                          "\"full name\", \"display name\"), or give \"first name\" and \"last name\"");
      rows.erase(rows.begin());
      if (rows.empty())
        throw ImportError(file_name, first.line, "only a header row: no students in the file");
    } else if (col.count == 1) {
      col.name = 0;
    } else if (col.count == 2) {
      // Without a header, two columns are a card number and a name, in either order.
      auto numeric_column = [&](size_t k) {
        for (const CsvRecord* r : rows)
          if (r->fields.size() == 2 && !all_digits(trim(r->fields[k]))) return false;
        return true;
      };
      if (numeric_column(0) && !numeric_column(1)) col.card = 0, col.name = 1;
      else if (numeric_column(1) && !numeric_column(0)) col.card = 1, col.name = 0;
      else
        throw ImportError(file_name, first.line,
                          "no header row, and neither column holds only card numbers; add a header "
                          "row such as \"name,card\" (a name with a comma must be in quotes)");
    } else {
      throw ImportError(file_name, first.line,
                        "no header row naming the columns (" + std::to_string(col.count) +
                            " columns); add a header row such as \"first name,last name,card\"");
    }
  }
  out.cards_from_file = col.card >= 0;

  std::map<int, int> card_line;              // card -> line, to name both lines of a duplicate
  std::map<std::string, int> name_line;      // lower-cased display name -> first line
  std::vector<size_t> missing_card;          // students whose card cell was empty
  const std::string expected = std::to_string(col.count);

  for (const CsvRecord* r : rows) {
    const int line = r->line;
    if (r->fields.size() != col.count) {
      // Trailing empty cells (a spreadsheet's stray separators) are harmless.
      bool extra_empty = r->fields.size() > col.count;
      for (size_t k = col.count; extra_empty && k < r->fields.size(); ++k)
        extra_empty = trim(r->fields[k]).empty();
      if (!extra_empty)
        throw ImportError(file_name, line,
                          std::to_string(r->fields.size()) + " columns where " +
                              (out.had_header ? "the header has " : "the first row has ") + expected +
                              " (a name with a comma or separator in it must be in quotes)");
    }
    auto cell = [&](int c) { return c >= 0 ? tidy_name(r->fields[static_cast<size_t>(c)]) : std::string(); };

    Student s;
    std::string name = cell(col.name);
    s.first_name = cell(col.first);
    s.last_name = cell(col.last);
    for (const std::string* part : {&name, &s.first_name, &s.last_name})
      for (char c : *part)
        if (c == '\n' || c == '\r' || (static_cast<unsigned char>(c) < 0x20 && c != '\t'))
          throw ImportError(file_name, line, "a name with a line break or control character in it");
    if (!name.empty()) {
      // "García, Ana": the school-system way of writing a name in one column.
      const auto comma = name.find(',');
      if (comma != std::string::npos) {
        const std::string last = tidy_name(std::string_view(name).substr(0, comma));
        const std::string first = tidy_name(std::string_view(name).substr(comma + 1));
        if (last.empty() || first.empty())
          throw ImportError(file_name, line, "name \"" + name + "\" is not \"Last, First\"");
        if (s.first_name.empty() && s.last_name.empty()) s.first_name = first, s.last_name = last;
        name = first + " " + last;
      }
      s.display_name = name;
    } else {
      s.display_name = tidy_name(s.first_name + " " + s.last_name);
    }
    if (s.display_name.empty())
      throw ImportError(file_name, line, "no name on this row (a student needs a name)");

    if (col.card >= 0) {
      const std::string c = trim(r->fields[static_cast<size_t>(col.card)]);
      if (c.empty()) {
        missing_card.push_back(out.students.size());
      } else {
        if (!all_digits(c))
          throw ImportError(file_name, line, "card \"" + c + "\" is not a whole number");
        if (c.size() > 6) throw ImportError(file_name, line, "card " + c + " is far too large");
        s.card = std::stoi(c);
        if (s.card < 1) throw ImportError(file_name, line, "card " + c + ": cards are numbered from 1");
        const auto [it, fresh] = card_line.emplace(s.card, line);
        if (!fresh)
          throw ImportError(file_name, line,
                            "card " + std::to_string(s.card) + " is already given on line " +
                                std::to_string(it->second) + " (each student needs their own card)");
      }
    } else {
      s.card = options.first_card + static_cast<int>(out.students.size());
      if (s.card < 1) throw ImportError(file_name, line, "cards are numbered from 1");
      card_line.emplace(s.card, line);
    }

    if (col.tags >= 0) s.tags = split_tags(r->fields[static_cast<size_t>(col.tags)]);

    const auto [nit, fresh_name] = name_line.emplace(lower_ascii(s.display_name), line);
    if (!fresh_name)
      out.warnings.push_back({line, "\"" + s.display_name + "\" has the same name as line " +
                                        std::to_string(nit->second) +
                                        "; consider a display name that tells them apart"});
    out.students.push_back(std::move(s));
    out.lines.push_back(line);
  }

  // Empty card cells get the lowest numbers nobody in the file holds.
  int next = std::max(1, options.first_card);
  for (size_t k : missing_card) {
    while (card_line.count(next)) ++next;
    out.students[k].card = next;
    card_line.emplace(next, out.lines[k]);
    out.warnings.push_back({out.lines[k], "no card given for \"" + out.students[k].display_name +
                                              "\": assigned card " + std::to_string(next)});
  }
  return out;
}

RosterImport import_roster_file(const std::filesystem::path& path, const RosterOptions& options) {
  return parse_roster_csv(read_import_file(path), path.string(), options);
}

void check_cards_in_deck(const RosterImport& roster, const Deck& deck) {
  for (size_t k = 0; k < roster.students.size(); ++k) {
    const int card = roster.students[k].card;
    if (card < 1 || card > deck.cards())
      throw ImportError(roster.file, k < roster.lines.size() ? roster.lines[k] : 0,
                        "card " + std::to_string(card) + " (" + roster.students[k].display_name +
                            ") is not in deck " + std::string(deck.name) + " (cards 1-" +
                            std::to_string(deck.cards()) + "): give the student a card numbered 1 to " +
                            std::to_string(deck.cards()));
  }
}

}  // namespace cardpoll
