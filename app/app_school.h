// The school server's push and status for the app's Settings screen: app/school_sync.h's
// functions (those `cardpoll sync` runs) as the std::functions display/ is handed.
#pragma once

#include "display/app/app_state.h"

namespace cardpoll::app {
ui::SchoolServerTasks school_server_tasks();
}  // namespace cardpoll::app
