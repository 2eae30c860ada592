// Helper for tst_StoreCrash: writes to the store until it is killed.
//
// Usage: store_crash_writer DB_PATH
// A thread enqueues health samples without pause while the main loop adds a moderation item
// and decides it through submitDurable; after each decision's future resolves the decision
// id is printed on its own line and stdout flushed. The test kills this process with SIGKILL
// and checks that every printed id survived.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "store/Database.h"
#include "store/Moderation.h"
#include "store/StoreWriter.h"

using namespace stagecast::store;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DB_PATH\n", argv[0]);
        return 2;
    }
    auto db = Database::open({argv[1], std::chrono::milliseconds{5000}});
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message().c_str());
        return 2;
    }
    StoreWriter writer(std::move(*db));
    std::atomic<bool> stop{false};
    std::thread sampler([&] {
        std::int64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            for (int i = 0; i < 100; ++i, ++n) {
                HealthSample s;
                s.stream = "live/crash";
                s.at = fromUnixMs(1'767'225'600'000 + n);
                s.videoKbps = double(n % 5000);
                s.viewers = n % 100;
                writer.enqueueSample(std::move(s));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
    });
    int status = 0;
    for (std::int64_t i = 1;; ++i) {
        auto decided =
            writer
                .submitDurable([i](WriteContext& c) -> stagecast::base::Result<std::int64_t> {
                    NewModerationItem item;
                    item.kind = ItemKind::Chat;
                    item.stream = "live/crash";
                    item.author = "viewer" + std::to_string(i);
                    item.text = "message " + std::to_string(i);
                    item.createdAt = fromUnixMs(1'767'225'600'000 + i);
                    auto id = Moderation::insert(c, item);
                    if (!id) {
                        return id;
                    }
                    return Moderation::transition(c, {*id, ItemState::Pending, ItemState::Approved,
                                                      "crash-writer", "", item.createdAt});
                })
                .get();
        if (!decided) {
            std::fprintf(stderr, "decision %lld failed: %s\n", static_cast<long long>(i),
                         decided.error().message().c_str());
            status = 3;
            break;
        }
        std::printf("%lld\n", static_cast<long long>(*decided));
        std::fflush(stdout);
    }
    stop = true;
    sampler.join();
    return status;
}
