#include "display/print/pdf_file.h"

#include <cairo-pdf.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>

namespace cardpoll::print {

void write_pdf_atomically(const std::filesystem::path& path, double width_pt, double height_pt,
                          const std::string& title, const std::function<void(cairo_t*)>& draw) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error(path.string() + ": folder " + dir.string() + " does not exist");
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());

  using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
  using Cairo = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
  cairo_status_t status;
  try {
    Surface surface(cairo_pdf_surface_create(tmp.c_str(), width_pt, height_pt), cairo_surface_destroy);
    status = cairo_surface_status(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) {
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "cardpoll");
      Cairo cr(cairo_create(surface.get()), cairo_destroy);
      draw(cr.get());
      status = cairo_status(cr.get());
      cr.reset();
      cairo_surface_finish(surface.get());
      if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
    }
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  if (status != CAIRO_STATUS_SUCCESS) {
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write PDF (" + cairo_status_to_string(status) + ")");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write (" + ec.message() + ")");
  }
}

}  // namespace cardpoll::print
