#include "core/exchange/import_roster.h"

#include <algorithm>
#include <map>
#include <optional>
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

// Header words in French, Spanish and German carry accents in either case ("Prénom",
// "PRÉNOM", "Schüler"): folded to plain letters so one table of words serves all spellings.
std::string fold_accents(std::string s) {
  static const std::pair<const char*, const char*> kFolds[] = {
      {"\xC3\xA9", "e"}, {"\xC3\x89", "e"}, {"\xC3\xA8", "e"}, {"\xC3\x88", "e"}, {"\xC3\xAA", "e"},
      {"\xC3\xA0", "a"}, {"\xC3\xA1", "a"}, {"\xC3\xA4", "a"}, {"\xC3\x84", "a"}, {"\xC3\xB3", "o"},
      {"\xC3\xB6", "o"}, {"\xC3\x96", "o"}, {"\xC3\xBA", "u"}, {"\xC3\xBC", "u"}, {"\xC3\x9C", "u"},
      {"\xC3\xAD", "i"}, {"\xC3\xB1", "n"}, {"\xC3\x91", "n"}, {"\xC3\xA7", "c"}, {"\xC3\x9F", "ss"},
      {"\xC2\xBA", ""},  {"\xC2\xB0", ""},
  };
  for (const auto& [from, to] : kFolds)
    for (size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, std::string(from).size(), to);
  return s;
}

enum class Role { None, Name, First, Last, Card, Tags, Id, Email, Login, PersonRole, Status };

// Name columns by preference when several appear (a PowerSchool export has LastFirst as well
// as First_Name/Last_Name; OneRoster and SDS have only given/family names).
const std::vector<std::string>& name_words() {
  static const std::vector<std::string> v = {
      "display name", "name", "student name", "full name", "student", "students", "names", "pupil",
      "pupil name", "lastfirst", "last first", "last, first", "student name (last, first)",
      "sortable name", "nom", "nom complet", "eleve", "nom de l'eleve", "nombre", "nombre completo",
      "alumno", "alumna", "estudiante", "nombre del alumno", "nombre del estudiante", "schuler",
      "schulerin", "schuler name", "vollstandiger name"};
  return v;
}

Role role_of(const std::string& raw_key, int* name_rank) {
  const std::string key = fold_accents(raw_key);
  const auto& names = name_words();
  for (size_t k = 0; k < names.size(); ++k)
    if (key == names[k]) {
      *name_rank = static_cast<int>(k);
      return Role::Name;
    }
  static const std::set<std::string> first = {
      "first", "first name", "given name", "given names", "forename", "firstname", "givenname",
      "student first name", "preferred first name", "legal first name", "prenom", "prenoms",
      "prenom de l'eleve", "nombres", "primer nombre", "vorname", "vornamen", "rufname"};
  static const std::set<std::string> last = {
      "last", "last name", "surname", "family name", "lastname", "familyname", "student last name",
      "legal last name", "nom de famille", "apellido", "apellidos", "primer apellido", "nachname",
      "familienname"};
  static const std::set<std::string> card = {"card", "card number", "card #", "card no", "number",
                                             "card num", "cardnumber", "carte", "numero de carte",
                                             "tarjeta", "numero de tarjeta", "karte", "kartennummer"};
  static const std::set<std::string> tags = {"tags", "tag", "etiquettes", "etiquetas"};
  // The school's id of the student: what gradebook imports match on.
  static const std::set<std::string> id = {
      "student id", "student number", "studentnumber", "student #", "student no", "sis id",
      "sis user id", "id number", "identifier", "student identifier", "pupil number", "stu id",
      "local id", "student_number", "idnumber", "numero d'eleve", "identifiant", "id eleve",
      "numero de estudiante", "id del estudiante", "numero de alumno", "schulernummer",
      "schuler id", "schuler-id", "matrikelnummer"};
  static const std::set<std::string> email = {
      "email", "email address", "e mail", "e mail address", "mail", "student email",
      "student email address", "primary email", "courriel", "adresse electronique", "adresse mail",
      "correo", "correo electronico", "e mail adresse"};
  static const std::set<std::string> login = {"sis login id", "login id", "username", "user name", "login"};
  if (first.count(key)) return Role::First;
  if (last.count(key)) return Role::Last;
  if (card.count(key)) return Role::Card;
  if (tags.count(key)) return Role::Tags;
  if (id.count(key)) return Role::Id;
  if (email.count(key)) return Role::Email;
  if (login.count(key)) return Role::Login;
  if (key == "role" || key == "roles" || key == "user role") return Role::PersonRole;
  if (key == "status" || key == "enrollment status") return Role::Status;
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
  int name = -1, first = -1, last = -1, card = -1, tags = -1, id = -1, email = -1, login = -1;
  int role = -1, status = -1;
  std::string name_key;  // the header word of the name column
  size_t count = 0;
};

// Columns named by a header row; nullopt when the first row names none we know.
std::optional<Columns> header_columns(const CsvRecord& header) {
  Columns col;
  col.count = header.fields.size();
  int best_rank = 1000;
  bool known = false;
  for (size_t k = 0; k < header.fields.size(); ++k) {
    int rank = 0;
    const std::string key = header_key(header.fields[k]);
    const Role role = role_of(key, &rank);
    const int idx = static_cast<int>(k);
    auto take = [&](int& slot) {
      if (slot < 0) slot = idx;
    };
    switch (role) {
      case Role::Name:
        if (rank < best_rank) best_rank = rank, col.name = idx, col.name_key = fold_accents(key);
        break;
      case Role::First: take(col.first); break;
      case Role::Last: take(col.last); break;
      case Role::Card: take(col.card); break;
      case Role::Tags: take(col.tags); break;
      case Role::Id: take(col.id); break;
      case Role::Email: take(col.email); break;
      case Role::Login: take(col.login); break;
      case Role::PersonRole: take(col.role); break;
      case Role::Status: take(col.status); break;
      case Role::None: break;
    }
    known = known || role != Role::None;
  }
  if (!known) return std::nullopt;
  // "Nom;Prénom", "Name;Vorname": beside a first-name column the plain word is the family name;
  // "Nombre;Apellidos": beside a family-name column it is the given name.
  static const std::set<std::string> plain = {"nom", "name", "nombre"};
  if (col.name >= 0 && plain.count(col.name_key)) {
    if (col.first >= 0 && col.last < 0) col.last = col.name, col.name = -1;
    else if (col.last >= 0 && col.first < 0) col.first = col.name, col.name = -1;
  }
  return col;
}

// Without a header: one column of names, or a card number and a name in either order.
Columns headerless_columns(const std::vector<const CsvRecord*>& rows, const std::string& file_name) {
  const CsvRecord& first = *rows.front();
  Columns col;
  col.count = first.fields.size();
  if (col.count == 1) {
    col.name = 0;
    return col;
  }
  if (col.count == 2) {
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
    return col;
  }
  throw ImportError(file_name, first.line,
                    "no header row naming the columns (" + std::to_string(col.count) +
                        " columns); add a header row such as \"first name,last name,card\"");
}

// Why a row of a school-system export is not a student, or "" when it is one.
std::string not_a_student(const CsvRecord& r, const Columns& col, const std::string& name) {
  auto cell = [&](int c) { return c >= 0 && static_cast<size_t>(c) < r.fields.size() ? lower_ascii(trim(r.fields[static_cast<size_t>(c)])) : std::string(); };
  const std::string low = lower_ascii(name);
  if (low == "points possible") return "Canvas's \"Points Possible\" row (not a student)";
  // Gradebook exports (Canvas, Google Classroom) carry rows of assignment details under the
  // header: points, due dates, averages, posting policies. Their name cells are empty or say so.
  static const std::set<std::string> details = {"points possible", "points", "date", "due date", "average",
                                                "class average", "manual posting", "(read only)", "max points",
                                                "possible points", "overall average"};
  if (low.empty() || details.count(low))
    for (const auto& f : r.fields)
      if (details.count(lower_ascii(trim(f))))
        return "a row of the gradebook's assignment details (\"" + trim(f) + "\"), not a student";
  if (low == "test student" || low == "student, test")
    return "\"" + name + "\", the test student an LMS adds for the teacher";
  if (col.role >= 0) {
    const std::string role = cell(col.role);
    if (!role.empty() && role != "student" && role != "learner" && role != "students")
      return "\"" + name + "\" has the role \"" + trim(r.fields[static_cast<size_t>(col.role)]) + "\", not student";
  }
  if (col.status >= 0) {
    const std::string status = cell(col.status);
    if (status == "tobedeleted" || status == "inactive" || status == "deleted")
      return "\"" + name + "\" is marked " + status + " in the export";
  }
  return {};
}

// The names of one row: display, first, last ("García, Ana" in one column is split).
void read_names(const CsvRecord& r, const Columns& col, Student& s, const std::string& file_name) {
  auto cell = [&](int c) {
    return c >= 0 && static_cast<size_t>(c) < r.fields.size() ? tidy_name(r.fields[static_cast<size_t>(c)]) : std::string();
  };
  std::string name = cell(col.name);
  s.first_name = cell(col.first);
  s.last_name = cell(col.last);
  for (const std::string* part : {&name, &s.first_name, &s.last_name})
    for (char c : *part)
      if (c == '\n' || c == '\r' || (static_cast<unsigned char>(c) < 0x20 && c != '\t'))
        throw ImportError(file_name, r.line, "a name with a line break or control character in it");
  if (name.empty()) {
    s.display_name = tidy_name(s.first_name + " " + s.last_name);
    return;
  }
  // "García, Ana": the school-system way of writing a name in one column.
  const auto comma = name.find(',');
  if (comma != std::string::npos) {
    const std::string last = tidy_name(std::string_view(name).substr(0, comma));
    const std::string first = tidy_name(std::string_view(name).substr(comma + 1));
    if (last.empty() || first.empty())
      throw ImportError(file_name, r.line, "name \"" + name + "\" is not \"Last, First\" (one side of the comma is empty)");
    if (s.first_name.empty() && s.last_name.empty()) s.first_name = first, s.last_name = last;
    name = first + " " + last;
  }
  s.display_name = name;
}

// The card cell: a number, or 0 when empty (a card is then given after all rows are read).
int read_card(const CsvRecord& r, const Columns& col, const std::string& file_name) {
  const std::string c = trim(r.fields[static_cast<size_t>(col.card)]);
  if (c.empty()) return 0;
  if (!all_digits(c)) throw ImportError(file_name, r.line, "card \"" + c + "\" is not a whole number");
  if (c.size() > 6) throw ImportError(file_name, r.line, "card " + c + " is far too large");
  const int card = std::stoi(c);
  if (card < 1) throw ImportError(file_name, r.line, "card " + c + ": cards are numbered from 1");
  return card;
}

void check_column_count(const CsvRecord& r, const Columns& col, bool had_header, const std::string& file_name) {
  if (r.fields.size() == col.count) return;
  // Trailing empty cells (a spreadsheet's stray separators) are harmless.
  bool extra_empty = r.fields.size() > col.count;
  for (size_t k = col.count; extra_empty && k < r.fields.size(); ++k) extra_empty = trim(r.fields[k]).empty();
  if (!extra_empty)
    throw ImportError(file_name, r.line,
                      std::to_string(r.fields.size()) + " columns where " +
                          (had_header ? "the header has " : "the first row has ") + std::to_string(col.count) +
                          " (a name with a comma or separator in it must be in quotes)");
}

}  // namespace

std::vector<std::string> split_tags(std::string_view cell) { return split_tag_list(cell); }

RosterImport parse_roster_csv(std::string_view text, const std::string& file_name, const RosterOptions& options) {
  const CsvTable table = parse_csv(text, file_name);
  RosterImport out;
  out.file = file_name;

  std::vector<const CsvRecord*> rows;
  for (const auto& r : table.records)
    if (!blank_record(r)) rows.push_back(&r);
  if (rows.empty()) throw ImportError(file_name, 0, "the file is empty: no students in it");

  Columns col;
  if (auto named = header_columns(*rows.front())) {
    col = *named;
    out.had_header = true;
    const int header_line = rows.front()->line;
    if (col.name < 0 && col.first < 0 && col.last < 0)
      throw ImportError(file_name, header_line,
                        "no name column in the header: name one column \"name\" (or \"student\", "
                        "\"full name\", \"display name\"), or give \"first name\" and \"last name\"");
    rows.erase(rows.begin());
    if (rows.empty()) throw ImportError(file_name, header_line, "only a header row: no students in the file");
  } else {
    col = headerless_columns(rows, file_name);
  }
  out.cards_from_file = col.card >= 0;

  std::map<int, int> card_line;          // card -> line, to name both lines of a duplicate
  std::map<std::string, int> name_line;  // lower-cased display name -> first line
  std::vector<size_t> missing_card;      // students whose card cell was empty
  for (const CsvRecord* r : rows) {
    const int line = r->line;
    check_column_count(*r, col, out.had_header, file_name);
    Student s;
    read_names(*r, col, s, file_name);
    if (const std::string why = not_a_student(*r, col, s.display_name); !why.empty()) {
      out.skipped.push_back({line, why});
      continue;
    }
    if (s.display_name.empty()) throw ImportError(file_name, line, "no name on this row (a student needs a name)");
    auto cell = [&](int c) { return c >= 0 ? trim(r->fields[static_cast<size_t>(c)]) : std::string(); };
    s.sis_id = cell(col.id);
    s.email = cell(col.email);
    if (s.email.empty() && cell(col.login).find('@') != std::string::npos) s.email = cell(col.login);
    if (col.tags >= 0) s.tags = split_tags(r->fields[static_cast<size_t>(col.tags)]);

    if (col.card >= 0) {
      s.card = read_card(*r, col, file_name);
      if (s.card == 0) {
        missing_card.push_back(out.students.size());
      } else if (const auto [it, fresh] = card_line.emplace(s.card, line); !fresh) {
        throw ImportError(file_name, line,
                          "card " + std::to_string(s.card) + " is already given on line " + std::to_string(it->second) +
                              " (each student needs their own card)");
      }
    } else {
      s.card = options.first_card + static_cast<int>(out.students.size());
      if (s.card < 1) throw ImportError(file_name, line, "cards are numbered from 1");
      card_line.emplace(s.card, line);
    }

    const auto [nit, fresh_name] = name_line.emplace(lower_ascii(s.display_name), line);
    if (!fresh_name)
      out.warnings.push_back({line, "\"" + s.display_name + "\" has the same name as line " + std::to_string(nit->second) +
                                        "; consider a display name that tells them apart"});
    out.students.push_back(std::move(s));
    out.lines.push_back(line);
  }
  if (out.students.empty())
    throw ImportError(file_name, out.skipped.empty() ? 0 : out.skipped.front().line,
                      "no students in the file: every row was skipped (first: " +
                          (out.skipped.empty() ? std::string("none") : out.skipped.front().message) + ")");

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
