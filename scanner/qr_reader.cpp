#define ZX_USE_UTF8 1  // Result::text() as UTF-8 std::string (ZXing 1.4 transition switch)
#include "scanner/qr_reader.h"

#include <algorithm>

#include <ZXing/ReadBarcode.h>
#include <opencv2/imgproc.hpp>

namespace cardpoll {

std::vector<std::string> read_qr_payloads(const cv::Mat& gray, int max_width) {
  std::vector<std::string> out;
  if (gray.empty() || gray.cols < 21 || gray.rows < 21) return out;
  cv::Mat g;
  if (gray.type() == CV_8UC1) {
    g = gray;
  } else if (gray.type() == CV_8UC3) {
    cv::cvtColor(gray, g, cv::COLOR_BGR2GRAY);
  } else if (gray.type() == CV_8UC4) {
    cv::cvtColor(gray, g, cv::COLOR_BGRA2GRAY);
  } else {
    return out;
  }
  if (max_width > 0 && g.cols > max_width) {
    cv::Mat small;
    const double s = max_width / static_cast<double>(g.cols);
    cv::resize(g, small, cv::Size(), s, s, cv::INTER_AREA);
    g = small;
  }
  if (!g.isContinuous()) g = g.clone();
  ZXing::ImageView view(g.data, g.cols, g.rows, ZXing::ImageFormat::Lum,
                        static_cast<int>(g.step[0]));
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryRotate(true);   // a card held sideways is still the card
  hints.setTryHarder(true);
  hints.setMaxNumberOfSymbols(8);
  try {
    for (const auto& r : ZXing::ReadBarcodes(view, hints))
      if (r.isValid() && r.format() == ZXing::BarcodeFormat::QRCode) out.push_back(r.text());
  } catch (...) {
    // ZXing does not throw on images, but a command reader must never take the scanner down.
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void QrMailbox::post(int64_t time_ms, std::vector<std::string> texts) {
  std::lock_guard lock(mutex);
  ++checked_frames;
  if (!texts.empty()) pending.push_back({time_ms, std::move(texts)});
}

std::vector<QrSighting> QrMailbox::take_until(int64_t time_ms) {
  std::lock_guard lock(mutex);
  auto split = std::stable_partition(pending.begin(), pending.end(),
                                     [&](const QrSighting& q) { return q.time_ms <= time_ms; });
  std::vector<QrSighting> out(std::make_move_iterator(pending.begin()), std::make_move_iterator(split));
  pending.erase(pending.begin(), split);
  return out;
}

std::vector<QrSighting> QrMailbox::take_all() {
  std::lock_guard lock(mutex);
  std::vector<QrSighting> out = std::move(pending);
  pending.clear();
  return out;
}

FrameSource with_qr_reader(FrameSource inner, std::shared_ptr<QrMailbox> mailbox, QrReaderOptions options) {
  FrameSource out = inner;
  struct ReaderState {
    std::function<SourceRead(Frame&)> read;
    int64_t frames = 0;
  };
  auto st = std::make_shared<ReaderState>();
  st->read = std::move(inner.read);
  const int every = inner.live ? std::max(1, options.live_every) : 1;
  out.read = [st, mailbox, every, options](Frame& f) {
    SourceRead r = st->read(f);
    if (r.status == SourceStatus::Frame && (st->frames++ % every) == 0)
      mailbox->post(f.time_ms, read_qr_payloads(f.gray, options.max_width));
    return r;
  };
  return out;
}

}  // namespace cardpoll
