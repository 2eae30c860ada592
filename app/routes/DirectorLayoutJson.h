#pragma once
/// The director's saved-layout routes (DirectorRoutes mounts them; each runs with the
/// director attached):
///
///   GET    /api/v1/director/layouts         every saved layout: name, layout, transition
///   PUT    /api/v1/director/layouts/{name}  {"layout":{...as POST /preview...},
///                                            "transition":{...as POST /transition...}}
///   DELETE /api/v1/director/layouts/{name}
///
/// and POST /api/v1/director/preview {"name":"panel"} recalls one (DirectorRoutes).

#include <string>

#include "director/Director.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app::director_layouts {

server::api::ApiResponse list(director::Director& d);
server::api::ApiResponse put(director::Director& d, const server::api::ApiRequest& r);
server::api::ApiResponse remove(director::Director& d, const server::api::ApiRequest& r);

/// The {name} segment of a /layouts/{name} path (empty when absent).
std::string layoutNameOf(const server::api::ApiRequest& r);

} // namespace stagecast::app::director_layouts
