// Names to print on cards, from a roster CSV (the same parser as `cardpoll class import`).
#pragma once

#include <map>
#include <string>

#include "core/deck.h"

namespace cardpoll::app {
// Card number -> name. Throws (naming file and line) when the roster is malformed or names
// a card the deck lacks.
std::map<int, std::string> roster_names_by_card(const std::string& path, const Deck& deck);
}  // namespace cardpoll::app
