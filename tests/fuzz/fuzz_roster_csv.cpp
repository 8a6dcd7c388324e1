// libFuzzer: arbitrary bytes as a roster CSV (core/exchange/import_roster.h). Contract: a roster whose
// students all have names and distinct cards >= 1 (or none), or ImportError naming the file.
#include <set>

#include "core/exchange/import_roster.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_contract<ImportError>("fuzz_roster_csv", fuzz::kFileName, [&] {
    const RosterImport r = parse_roster_csv(text, fuzz::kFileName);
    std::set<int> cards;
    for (const auto& s : r.students) {
      if (s.display_name.empty()) fuzz::contract_broken("fuzz_roster_csv", "a student without a name");
      if (s.card != 0 && (s.card < 1 || !cards.insert(s.card).second))
        fuzz::contract_broken("fuzz_roster_csv", "card " + std::to_string(s.card) + " invalid or twice");
    }
  });
  return 0;
}
