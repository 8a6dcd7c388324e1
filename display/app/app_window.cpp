#include "display/app/app_window.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include <cfloat>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "display/app/app_tasks.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"
#include "display/fonts.h"

namespace cardpoll::ui {

struct AppWindow {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  bool imgui = false;
  // The pointer as the events last said. ImGui 1.86's SDL back end asks SDL for the mouse
  // state each frame, which events pushed by tests (and remote desktops) do not move; the
  // events themselves are the truth.
  ImVec2 mouse{-FLT_MAX, -FLT_MAX};
  bool held[3] = {false, false, false};
  bool pressed[3] = {false, false, false};  // went down since the last frame (a quick click)
  // Idle: after input, a few frames let hover and focus settle; then nothing is drawn until
  // the next event (bar a safety redraw every 2 s), so an open window costs next to no CPU.
  int settle_frames = 3;
  Uint32 last_draw_ms = 0;

  ~AppWindow() {
    if (imgui) {
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplSDL2_Shutdown();
      ImGui::DestroyContext();
    }
    if (gl) SDL_GL_DeleteContext(gl);
    if (window) SDL_DestroyWindow(window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
  }
};

void AppWindowDeleter::operator()(AppWindow* w) const { delete w; }

namespace {

void apply_style() {
  ImGui::StyleColorsLight();
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowPadding = ImVec2(20, 18);
  st.FramePadding = ImVec2(12, 8);
  st.ItemSpacing = ImVec2(12, 10);
  st.ItemInnerSpacing = ImVec2(8, 6);
  st.CellPadding = ImVec2(8, 5);
  st.ScrollbarSize = 18;
  st.FrameRounding = 6;
  st.GrabRounding = 6;
  st.ChildRounding = 8;
  st.PopupRounding = 8;
  st.WindowRounding = 0;
  st.FrameBorderSize = 1;
  ImVec4* c = st.Colors;
  const ImVec4 paper(0.965f, 0.960f, 0.950f, 1), white(1, 1, 1, 1), ink(0.13f, 0.15f, 0.18f, 1);
  const ImVec4 accent(0.20f, 0.42f, 0.62f, 1), accent_soft(0.80f, 0.87f, 0.94f, 1), accent_mid(0.68f, 0.79f, 0.90f, 1);
  c[ImGuiCol_Text] = ink;
  c[ImGuiCol_WindowBg] = paper;
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);  // panels that want white say so (begin_panel)
  c[ImGuiCol_PopupBg] = white;
  c[ImGuiCol_Border] = ImVec4(0.80f, 0.80f, 0.78f, 1);
  c[ImGuiCol_FrameBg] = white;
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.94f, 0.96f, 0.98f, 1);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.90f, 0.94f, 0.98f, 1);
  c[ImGuiCol_Button] = accent_soft;
  c[ImGuiCol_ButtonHovered] = accent_mid;
  c[ImGuiCol_ButtonActive] = ImVec4(0.58f, 0.72f, 0.86f, 1);
  c[ImGuiCol_Header] = accent_soft;
  c[ImGuiCol_HeaderHovered] = accent_mid;
  c[ImGuiCol_HeaderActive] = accent_mid;
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_PlotHistogram] = accent;
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.92f, 0.92f, 0.90f, 1);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(0.975f, 0.975f, 0.97f, 1);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.2f, 0.2f, 0.2f, 0.35f);
}

void load_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  const display::FontFiles f = display::find_dejavu();
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x2027, 0x2190, 0x21FF, 0x2713, 0x2717, 0};
  ImFontConfig cfg;
  cfg.OversampleH = cfg.OversampleV = 1;
  AppFonts& fonts = app_fonts();
  fonts.body = io.Fonts->AddFontFromFileTTF(f.regular.c_str(), 21.0f, &cfg, ranges);
  fonts.heading = io.Fonts->AddFontFromFileTTF(f.bold.c_str(), 27.0f, &cfg, ranges);
  fonts.small = io.Fonts->AddFontFromFileTTF(f.regular.c_str(), 17.0f, &cfg, ranges);
  if (!fonts.body || !fonts.heading || !fonts.small) throw std::runtime_error("cannot load the font " + f.regular);
}

void handle_event(AppWindow& w, AppState& s, const SDL_Event& e) {
  switch (e.type) {
    case SDL_QUIT: s.quit = true; break;
    case SDL_WINDOWEVENT:
      if (e.window.event == SDL_WINDOWEVENT_CLOSE) s.quit = true;
      if (e.window.event == SDL_WINDOWEVENT_LEAVE) w.mouse = ImVec2(-FLT_MAX, -FLT_MAX);
      break;
    case SDL_MOUSEMOTION: w.mouse = ImVec2(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)); break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
      w.mouse = ImVec2(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
      const int b = e.button.button == SDL_BUTTON_LEFT ? 0 : e.button.button == SDL_BUTTON_RIGHT ? 1 : e.button.button == SDL_BUTTON_MIDDLE ? 2 : -1;
      if (b >= 0) {
        w.held[b] = e.type == SDL_MOUSEBUTTONDOWN;
        if (w.held[b]) w.pressed[b] = true;
      }
      break;
    }
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
      // The modifiers the event carries (the back end asks SDL's own state, which events
      // pushed by tests do not change).
      ImGuiIO& io = ImGui::GetIO();
      io.KeyCtrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      io.KeyShift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
      io.KeyAlt = (e.key.keysym.mod & KMOD_ALT) != 0;
      break;
    }
    case SDL_DROPFILE:
      if (e.drop.file) {
        s.dropped.emplace_back(e.drop.file);
        SDL_free(e.drop.file);
      }
      break;
    default: break;
  }
}

}  // namespace

AppWindowPtr open_app_window(const AppWindowOptions& o) {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    throw std::runtime_error(std::string("no display for the app window: ") + SDL_GetError());
  AppWindowPtr w(new AppWindow);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  const Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | (o.hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN);
  w->window = SDL_CreateWindow("cardpoll", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width, o.height, flags);
  if (!w->window) throw std::runtime_error(std::string("cannot open the app window: ") + SDL_GetError());
  w->gl = SDL_GL_CreateContext(w->window);
  if (!w->gl) throw std::runtime_error(std::string("no OpenGL 3 for the app window: ") + SDL_GetError());
  SDL_GL_MakeCurrent(w->window, w->gl);
  SDL_GL_SetSwapInterval(1);
  SDL_EventState(SDL_DROPFILE, SDL_ENABLE);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  w->imgui = true;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini in the teacher's folders
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  apply_style();
  load_fonts();
  if (!ImGui_ImplSDL2_InitForOpenGL(w->window, w->gl) || !ImGui_ImplOpenGL3_Init("#version 130"))
    throw std::runtime_error("Dear ImGui cannot start on this OpenGL");
  return w;
}

namespace {

void render(AppWindow& w, AppState& s) {
  SDL_GL_MakeCurrent(w.window, w.gl);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = w.mouse;
  for (int b = 0; b < 3; ++b) {
    io.MouseDown[b] = w.held[b] || w.pressed[b];
    w.pressed[b] = false;
  }
  ImGui::NewFrame();
  s.widgets.clear();
  draw_app(s);
  ImGui::Render();
  int fw = 0, fh = 0;
  SDL_GL_GetDrawableSize(w.window, &fw, &fh);
  glViewport(0, 0, fw, fh);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

bool app_frame(AppWindow& w, AppState& s, int wait_ms) {
  SDL_Event e;
  bool any = false;
  if (wait_ms > 0 && SDL_WaitEventTimeout(&e, wait_ms)) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    handle_event(w, s, e);
    any = true;
  }
  while (SDL_PollEvent(&e)) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    handle_event(w, s, e);
    any = true;
  }
  if (any || !s.dropped.empty() || wait_ms == 0) w.settle_frames = 3;
  const Uint32 now = SDL_GetTicks();
  if (w.settle_frames == 0 && now - w.last_draw_ms < 2000) return !s.quit;
  if (w.settle_frames > 0) --w.settle_frames;
  w.last_draw_ms = now;
  while (!s.dropped.empty()) {
    const auto f = s.dropped.front();
    s.dropped.erase(s.dropped.begin());
    const TaskReport r = handle_dropped_file(s, f);
    if (s.screen != Screen::Classes && s.screen != Screen::Questions) {
      if (s.screen == Screen::Results) s.results.report = r;
      else if (s.screen == Screen::Lesson) s.lesson.report = r;
      else s.settings_ui.report = r;
    }
  }
  render(w, s);
  SDL_GL_SwapWindow(w.window);
  return !s.quit;
}

display::Image capture_app_window(AppWindow& w, AppState& s) {
  render(w, s);
  display::Image img;
  SDL_GL_GetDrawableSize(w.window, &img.width, &img.height);
  std::vector<uint8_t> rgba(static_cast<size_t>(img.width) * img.height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, img.width, img.height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  img.argb.resize(static_cast<size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const uint8_t* p = &rgba[(static_cast<size_t>(img.height - 1 - y) * img.width + x) * 4];  // GL rows go up
      img.argb[static_cast<size_t>(y) * img.width + x] = 0xFF000000u | (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2];
    }
  SDL_GL_SwapWindow(w.window);
  return img;
}

void hide_app_window(AppWindow& w) { SDL_HideWindow(w.window); }

void show_app_window(AppWindow& w) {
  SDL_ShowWindow(w.window);
  SDL_RaiseWindow(w.window);
  SDL_GL_MakeCurrent(w.window, w.gl);
  w.held[0] = w.held[1] = w.held[2] = false;
  w.settle_frames = 3;
}

void* camera_check_texture(const CameraCheckView& view) {
  static GLuint texture = 0;
  static int uploaded = -1;
  if (view.rgba.empty() || view.width <= 0) return nullptr;
  if (!texture) glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  if (uploaded != view.version) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, view.width, view.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, view.rgba.data());
    uploaded = view.version;
  }
  return reinterpret_cast<void*>(static_cast<intptr_t>(texture));
}

}  // namespace cardpoll::ui
