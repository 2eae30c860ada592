#pragma once
/// The snapshot API (docs/snapshots.md), bearer token like every control route:
///   GET /api/v1/streams/{app}/{name}/snapshot.jpg  the latest JPEG (image/jpeg); 404 with a
///                                                  JSON error while there is none
///   GET /api/v1/snapshots                          every stream's latest: path, time, size,
///                                                  and the snapshotter's counters

#include "server/api/ApiRouter.h"

namespace stagecast::app {

class Snapshots;

void mountSnapshotRoutes(server::api::ApiRouter& router, Snapshots& snapshots);

} // namespace stagecast::app
