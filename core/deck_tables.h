// Generated codebooks (see tools/deckgen.cpp). Do not edit deck_tables.cpp by hand:
// printed cards depend on every bit of it.
#pragma once
#include <cstdint>
#include <span>

namespace cardpoll::deck_tables {
std::span<const uint32_t> classroom_codes();
std::span<const uint32_t> large_codes();
std::span<const uint32_t> plickers_codes();
extern const int kClassroomDistance;
extern const int kLargeDistance;
extern const int kPlickersDistance;
}  // namespace cardpoll::deck_tables
