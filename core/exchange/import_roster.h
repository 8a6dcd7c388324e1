// Roster import: a class list from a spreadsheet or a school system's CSV export.
//
// Pure parsing (no database): storage checks the deck and stores the result in one
// transaction. Accepted shapes (docs/data-formats.md has examples of each):
//   - a header row naming the columns, in any order, with any extra columns ignored; or no
//     header and one column of names, or two columns where one holds card numbers;
//   - the exports of PowerSchool (Student_Number, LastFirst, First_Name, Last_Name), Infinite
//     Campus (studentNumber, lastName, firstName), Skyward ("Student Name" as "Last, First",
//     "Student ID"), Google Classroom (Last Name, First Name, Email Address), Canvas (Student,
//     ID, SIS User ID, SIS Login ID, Section), Moodle (First name, Last name, ID number, Email
//     address), OneRoster users.csv (sourcedId, role, givenName, familyName, identifier,
//     email) and Microsoft SDS Student.csv (SIS ID, Username, First Name, Last Name);
//   - header words in English, French, Spanish and German ("Nom;Prénom", "Apellido", "Nachname",
//     "Vorname", "Courriel", "Correo"...), accents or not, any case;
//   - a name column, and/or first/last columns; a name written "Last, First" is split;
//   - optional card ("card", "card number", "carte", "tarjeta", "Karte"), tags, student id and
//     email columns; without a card column cards are given 1, 2, 3... in file order.
// Rows that are not students are skipped and reported (RosterImport::skipped): Canvas's
// "Points Possible" row, an LMS's "Test Student", OneRoster/SDS roles other than student,
// rows marked tobedeleted/inactive.
// Errors throw ImportError naming the file and line; duplicate names are only a warning.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/deck.h"
#include "core/model.h"

namespace cardpoll {

struct RosterImport {
  std::string file;                     // as given, for messages
  std::vector<Student> students;        // file order; id/class_id 0; card always >= 1
  std::vector<int> lines;               // lines[i]: the line students[i] came from
  std::vector<ImportWarning> warnings;  // e.g. duplicate names, cards filled in
  std::vector<ImportWarning> skipped;   // rows that are not students, and why
  bool had_header = false;
  bool cards_from_file = false;         // false: cards were assigned in file order
};

struct RosterOptions {
  int first_card = 1;  // sequential assignment starts here (when the file has no card column)
};

// Parses roster CSV text. Throws ImportError(file, line, message) for: an empty file, no
// name column, an empty name, a card that is not a whole number or is < 1, a card used twice
// (naming both lines), a row with the wrong number of columns, invalid UTF-8, binary files.
RosterImport parse_roster_csv(std::string_view text, const std::string& file_name,
                              const RosterOptions& options = {});

// Reads and parses a roster file.
RosterImport import_roster_file(const std::filesystem::path& path, const RosterOptions& options = {});

// Throws ImportError naming the line of the first student whose card is not in `deck`
// ("card 45 is not in deck classroom (cards 1-40)").
void check_cards_in_deck(const RosterImport& roster, const Deck& deck);

// Splits a tags cell ("el; lang:es iep") into lower-cased tags, duplicates removed, order kept.
std::vector<std::string> split_tags(std::string_view cell);

}  // namespace cardpoll
