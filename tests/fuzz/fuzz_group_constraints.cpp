// libFuzzer: arbitrary bytes as a groups constraints file (core/groups/groups.h) for a class of
// six. Contract: constraints whose sizes make sense and whose names are students of the
// class, or GroupingError naming the file.
#include "core/groups/groups.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  static const std::vector<Student> roster = [] {
    std::vector<Student> r;
    const char* names[] = {"Ana Lopez", "Ben Okafor", "Cy Park", "Dee Smith", "Eve Ng", "Ana Berg"};
    for (int i = 0; i < 6; ++i) {
      Student s;
      s.id = i + 1;
      s.display_name = names[i];
      s.first_name = std::string(names[i]).substr(0, std::string(names[i]).find(' '));
      s.card = i + 1;
      r.push_back(s);
    }
    return r;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_contract<GroupingError>("fuzz_group_constraints", fuzz::kFileName, [&] {
    const GroupConstraints c = parse_group_constraints(text, fuzz::kFileName, roster, {});
    if (c.min_size < 1 || c.max_size < c.min_size)
      fuzz::contract_broken("fuzz_group_constraints", "sizes " + std::to_string(c.min_size) + "-" +
                                                          std::to_string(c.max_size));
    for (const auto& list : c.keep_apart)
      for (Id id : list)
        if (id < 1 || id > 6) fuzz::contract_broken("fuzz_group_constraints", "an unknown student id");
  });
  return 0;
}
