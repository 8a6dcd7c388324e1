// libFuzzer: arbitrary bytes as an image file in a folder source (scanner/frame_source.h),
// read as `cardpoll live --source FOLDER` / `cardpoll scan` read it. Contract: each read
// gives a frame or a failure naming the file, and the folder then ends; never an exception
// out of read() (an image too large to decode is skipped), never a crash.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scanner/frame_source.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("fuzz-images-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  const fs::path file = dir / "frame.png";  // the extension only admits it to the folder
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    FrameSource s = open_folder(dir);
    Frame f;
    const SourceRead r = s.read(f);
    if (r.status == SourceStatus::Failed && r.message.find(file.string()) == std::string::npos)
      fuzz::contract_broken("fuzz_images", "a failure without the file name: " + r.message);
    if (r.status == SourceStatus::Frame && f.gray.empty()) fuzz::contract_broken("fuzz_images", "an empty frame");
    if (s.read(f).status != SourceStatus::Ended) fuzz::contract_broken("fuzz_images", "the folder did not end");
  } catch (const std::exception& e) {
    fuzz::contract_broken("fuzz_images", std::string("an exception out of the folder source: ") + e.what());
  }
  return 0;
}
