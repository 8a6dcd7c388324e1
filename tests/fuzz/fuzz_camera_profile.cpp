// libFuzzer: arbitrary bytes as a camera profile file (calibration/camera_profile.h), read
// the way `live --camera-profile` reads it. Contract: a profile that passes profile_problem(),
// or std::runtime_error naming the file; never a hang inside OpenCV's YAML reader.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "calibration/camera_profile.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("fuzz-camera-profile-" + std::to_string(::getpid()) + ".yml");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  fuzz::expect_contract<std::runtime_error>("fuzz_camera_profile", file.string(), [&] {
    const auto p = calibration::load_camera_profile(file);
    if (!calibration::profile_problem(p).empty())
      fuzz::contract_broken("fuzz_camera_profile", "accepted a bad profile: " + calibration::profile_problem(p));
  });
  return 0;
}
