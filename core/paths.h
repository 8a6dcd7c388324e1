// Where cardpoll keeps its data when the user does not say.
#pragma once
#include <filesystem>

namespace cardpoll {
// $XDG_DATA_HOME/cardpoll/cardpoll.db, else ~/.local/share/cardpoll/cardpoll.db, else
// ./cardpoll.db when there is no home at all.
std::filesystem::path default_database_path();
}  // namespace cardpoll
