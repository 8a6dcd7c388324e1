// One way to write a PDF: atomically. Everything cardpoll prints (cards, command cards,
// calibration boards) goes through here, so a failure never leaves a half-written file.
#pragma once

#include <cairo.h>

#include <filesystem>
#include <functional>
#include <string>

namespace cardpoll::print {

// Creates a PDF surface of `width_pt` x `height_pt` points on a temporary file beside
// `path`, lets `draw` paint it (calling cairo_show_page for each page), and renames the
// file into place. On any failure, including an exception from `draw`, the temporary file
// is removed, nothing is left at `path`, and std::runtime_error names the path.
void write_pdf_atomically(const std::filesystem::path& path, double width_pt, double height_pt,
                          const std::string& title, const std::function<void(cairo_t*)>& draw);

}  // namespace cardpoll::print
