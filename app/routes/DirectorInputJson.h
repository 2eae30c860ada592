#pragma once
/// The director's input routes (DirectorRoutes mounts them; each runs with the director
/// attached):
///
///   GET    /api/v1/director/inputs                     every input: id, kind, state, settings
///   POST   /api/v1/director/inputs                     {"id":"media:intro","kind":"media",...}
///   DELETE /api/v1/director/inputs/{id}                a director input (409 on program)
///   POST   /api/v1/director/inputs/{id}/backup         {"backup":"live/backup"} ("" clears)
///   GET    /api/v1/director/inputs/{id}/thumbnail.jpg  a 320 px JPEG as rendered
///   GET    /api/v1/director/capture                    local capture kinds and devices
///
/// {id} is a director input id (one path segment) or a hub stream APP/NAME (two).

#include <string>

#include "director/Director.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app::director_inputs {

server::api::ApiResponse list(director::Director& d);
server::api::ApiResponse create(director::Director& d, const server::api::ApiRequest& r);
server::api::ApiResponse remove(director::Director& d, const std::string& id);
server::api::ApiResponse backup(director::Director& d, const std::string& id,
                                const server::api::ApiRequest& r);
server::api::ApiResponse thumbnail(director::Director& d, const std::string& id);
server::api::ApiResponse capture(director::Director& d);

/// The input id in `r`'s path: the segments after "inputs", without a trailing `suffix`
/// segment ("backup", "thumbnail.jpg"; empty for none), joined with '/'.
std::string inputIdOf(const server::api::ApiRequest& r, const std::string& suffix);

} // namespace stagecast::app::director_inputs
