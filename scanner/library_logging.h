// The video and image libraries' own console warnings, on or off.
#pragma once

namespace cardpoll {

// Off (the default for `cardpoll` without --verbose): OpenCV logs errors only and FFmpeg
// nothing, because cardpoll reports every failure they warn about in its own words. Call
// before the first frame source is opened: FFmpeg reads its level when OpenCV loads it.
void set_library_warnings(bool on);

}  // namespace cardpoll
