// Printable QR command cards (`cardpoll cards --commands`): one big QR code per command with
// its label under it, four to a page, so the teacher can drive the live view from across the
// room by holding a card up to the camera. Payloads: lesson/commands.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "display/print/card_pdf.h"
#include "lesson/commands.h"

namespace cardpoll::print {

// The QR code of `payload` as modules (1 = dark), `size` x `size`, with no quiet zone.
// Throws std::runtime_error when ZXing cannot encode it.
struct QrModules {
  int size = 0;
  std::vector<uint8_t> dark;  // size*size, row-major
};
QrModules qr_modules(const std::string& payload);

// Writes the command cards for a question set of `questions` questions (question/1 ..
// question/N cards; at least the fixed commands). Atomic: on failure no file is left at
// `path` and std::runtime_error names it.
void write_command_cards_pdf(const std::filesystem::path& path, int questions,
                             Paper paper = Paper::Letter);

// One command card as a grey image (white quiet zone of 4 modules around the code), for
// tests and for rendering the demo recording: `px_per_module` pixels per module.
struct QrImage {
  int side = 0;
  std::vector<uint8_t> pixels;  // side*side, 0 black / 255 white
};
QrImage qr_image(const std::string& payload, int px_per_module);

}  // namespace cardpoll::print
