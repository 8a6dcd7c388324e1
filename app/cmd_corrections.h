// The correction actions of `cardpoll class`, `questions` and `session` (rename, delete,
// edit), kept apart from the commands' other actions. All call core/store/corrections.h.
#pragma once

#include <string>
#include <vector>

#include "app/cli.h"

namespace cardpoll::app {

std::string class_corrections_usage();
std::string questions_corrections_usage();
std::string session_corrections_usage();

// nullopt-like: -1 when `action` is not one of these commands' correction actions.
int run_class_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args);
int run_questions_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args);
int run_session_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args);

}  // namespace cardpoll::app
