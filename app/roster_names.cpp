#include "app/roster_names.h"

#include "core/exchange/import_roster.h"

namespace cardpoll::app {

std::map<int, std::string> roster_names_by_card(const std::string& path, const Deck& deck) {
  const RosterImport roster = import_roster_file(path);
  check_cards_in_deck(roster, deck);
  std::map<int, std::string> names;
  for (const Student& s : roster.students) {
    std::string name = s.display_name;
    if (name.empty()) name = s.first_name + (s.last_name.empty() ? "" : " " + s.last_name);
    names[s.card] = name;
  }
  return names;
}

}  // namespace cardpoll::app
