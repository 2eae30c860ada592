#pragma once
/// The control API's director routes:
///
///   GET  /api/v1/director           canvas, preview, program, inputs with state, output, modules
///   POST /api/v1/director/preview   {"input":"live/cam"} or {"layout":"pip","main":"live/a",
///                                   "inset":"live/b","corner":"top-right","size":0.3}
///   POST /api/v1/director/cut       preview to program at once; both takes answer
///                                   {"ok":true,"program_time_ms":N}: the program's pts then
///   POST /api/v1/director/auto      {"duration_ms":1000} (optional: the configured default)
///   POST /api/v1/director/audio     {"input":"live/cam","volume":0.5,"muted":false} (either)
///   POST /api/v1/director/overlay   {"id":"logo","on":true}; with "kind" (image, input,
///                                   colour) and a box it defines the item; "remove":true
///   transition, T-bar and audio routing: see DirectorTransitionJson.h
///
/// The routes are mounted before the server starts; the director starts after it and is
/// attached then (503 "the director is not running" until it is, or when it failed: the
/// reason is in the answer). Handlers run on the server's worker pool, side by side (a
/// thumbnail that waits for the render thread holds up no other request); detaching waits
/// for those in flight.

#include <shared_mutex>
#include <string>

#include "director/Director.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app {

class DirectorRoutes {
public:
    void mount(server::api::ApiRouter& router);
    /// Attaches the running director (nullptr detaches, waiting for requests in flight).
    void attach(director::Director* director);
    /// Why the director is not running (shown by GET while detached).
    void setProblem(std::string problem);

private:
    template <typename Call>
    server::api::ApiResponse withDirector(Call call);
    /// The input routes (DirectorInputJson).
    template <typename Add>
    void mountInputs(Add add);

    std::shared_mutex mutex_; // shared by requests, exclusive to attach/detach
    director::Director* director_ = nullptr;
    std::string problem_ = "the director is not running (start with --director or "
                           "[director] enabled = true)";
};

} // namespace stagecast::app
