// Store benchmark (not a test): sustained samples/s through StoreWriter against SQLite's own
// limit (sqlite_baseline.c), moderation items/s, durable decisions/s, and the moderation
// queue query at 1,000,000 items (p50/p99 over varied filters).
//
// Usage: store_bench [--dir DIR] [--samples N] [--paced-seconds S] [--items N] [--queries N]
// Results and the command that produced them: docs/store.md.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_baseline.h"
#include "store/Database.h"
#include "store/Moderation.h"
#include "store/StoreWriter.h"
#include "store/Streams.h"

using namespace stagecast::store;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    std::filesystem::path dir;
    long samples = 1'000'000;
    int pacedSeconds = 10;
    long items = 1'000'000;
    int queries = 200;
    bool runSamples = true;  // --only items skips the sample figures
    bool runItems = true;    // --only samples skips the moderation figures
    bool insertItems = true; // --only queries reuses items.db from an earlier run
};

constexpr int kSampleStreams = 10;
constexpr int kItemStreams = 20;
constexpr std::int64_t kBaseMs = 1'767'225'600'000; // 2026-01-01

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "store_bench: %s\n", message.c_str());
    std::exit(1);
}

Database openFresh(const std::filesystem::path& path) {
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    auto db = Database::open({path, std::chrono::milliseconds{5000}});
    if (!db) {
        die(db.error().message());
    }
    return std::move(*db);
}

std::string sampleStream(long i) {
    return "bench/s" + std::to_string(i % kSampleStreams);
}

// The same values sqlite_baseline.c binds.
HealthSample benchSample(long i) {
    HealthSample s;
    s.stream = sampleStream(i);
    s.at = fromUnixMs(kBaseMs + i);
    s.videoKbps = double(2500 + i % 1000);
    s.audioKbps = 128.0;
    s.fps = 30.0;
    s.keyframeIntervalS = 2.0;
    s.viewers = i % 500;
    s.droppedBytes = 0;
    return s;
}

// Creates bench/s0.. in order so their ids are 1..n, as the baseline assumes.
void createSampleStreams(Database& db) {
    WriteContext context(db.connection());
    for (int k = 0; k < kSampleStreams; ++k) {
        if (!context.streamId(sampleStream(k))) {
            die("cannot create streams");
        }
    }
}

// Enqueues as fast as the writer keeps up: pauses while the queue is over half full, so
// nothing is dropped and the figure is the writer's sustained rate.
double maxSustainedSamples(const Args& args, WriterCounters& out) {
    Database db = openFresh(args.dir / "samples.db");
    createSampleStreams(db);
    WriterOptions options;
    StoreWriter writer(std::move(db), options);
    auto start = Clock::now();
    for (long i = 0; i < args.samples; ++i) {
        if (i % 1000 == 0) {
            while (writer.counters().queued > options.queueCapacity / 2) {
                std::this_thread::sleep_for(std::chrono::microseconds{200});
            }
        }
        writer.enqueueSample(benchSample(i));
    }
    writer.flush();
    double elapsed = seconds(Clock::now() - start);
    out = writer.counters();
    return double(args.samples) / elapsed;
}

// 50,000 samples/s offered in 10 ms ticks for a while: does the writer keep up (no drops)?
void pacedSamples(const Args& args, long perSecond) {
    Database db = openFresh(args.dir / "paced.db");
    createSampleStreams(db);
    StoreWriter writer(std::move(db));
    long perTick = perSecond / 100;
    long total = perSecond * args.pacedSeconds;
    auto start = Clock::now();
    long i = 0;
    for (int tick = 0; i < total; ++tick) {
        std::this_thread::sleep_until(start + std::chrono::milliseconds{10 * tick});
        for (long k = 0; k < perTick && i < total; ++k, ++i) {
            writer.enqueueSample(benchSample(i));
        }
    }
    writer.flush();
    double elapsed = seconds(Clock::now() - start);
    WriterCounters c = writer.counters();
    std::printf("paced %ld samples/s for %d s: written %llu in %.2f s, dropped %llu, "
                "max queued %zu, batches %llu\n",
                perSecond, args.pacedSeconds, static_cast<unsigned long long>(c.samplesWritten),
                elapsed, static_cast<unsigned long long>(c.samplesDroppedOldest), c.maxQueued,
                static_cast<unsigned long long>(c.batches));
}

double baselineSamples(const Args& args) {
    auto path = args.dir / "baseline.db";
    {
        Database db = openFresh(path);
        createSampleStreams(db);
    }
    double rate =
        sqlite_baseline_insert_samples(path.string().c_str(), args.samples, kSampleStreams);
    if (rate < 0) {
        die("baseline failed");
    }
    return rate;
}

// ---- moderation ---------------------------------------------------------------------------

struct Vocabulary {
    std::vector<std::string> latin;
    std::vector<std::string> chinese;
};

Vocabulary makeVocabulary(std::mt19937_64& rng) {
    Vocabulary v;
    std::uniform_int_distribution<int> length(3, 9);
    std::uniform_int_distribution<int> letter('a', 'z');
    for (int w = 0; w < 2000; ++w) {
        std::string word;
        for (int n = length(rng); n > 0; --n) {
            word += char(letter(rng));
        }
        v.latin.push_back(word);
    }
    // Two-character words from a block of common CJK ideographs (U+4E00..U+62FF).
    std::uniform_int_distribution<int> ideograph(0x4E00, 0x62FF);
    auto utf8 = [](int cp) {
        std::string s;
        s += char(0xE0 | (cp >> 12));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
        return s;
    };
    for (int w = 0; w < 400; ++w) {
        v.chinese.push_back(utf8(ideograph(rng)) + utf8(ideograph(rng)));
    }
    return v;
}

NewModerationItem benchItem(long i, std::mt19937_64& rng, const Vocabulary& v) {
    static const ItemKind kinds[] = {ItemKind::Chat, ItemKind::Question, ItemKind::Detector,
                                     ItemKind::Manual, ItemKind::Auth};
    static const int kindWeights[] = {70, 15, 8, 4, 3};
    static const ItemState states[] = {ItemState::Pending, ItemState::Approved, ItemState::Rejected,
                                       ItemState::Escalated, ItemState::Answered};
    static const int stateWeights[] = {5, 75, 15, 3, 2};
    std::discrete_distribution<int> kind(std::begin(kindWeights), std::end(kindWeights));
    std::discrete_distribution<int> state(std::begin(stateWeights), std::end(stateWeights));
    std::uniform_int_distribution<int> words(4, 12);
    std::uniform_int_distribution<std::size_t> latin(0, v.latin.size() - 1);
    std::uniform_int_distribution<std::size_t> chinese(0, v.chinese.size() - 1);
    NewModerationItem item;
    item.kind = kinds[kind(rng)];
    item.state = states[state(rng)];
    item.stream = "bench/s" + std::to_string(i % kItemStreams);
    item.author = "user" + std::to_string(rng() % 50'000);
    bool isChinese = rng() % 5 == 0;
    for (int n = words(rng); n > 0; --n) {
        if (isChinese) {
            item.text += v.chinese[chinese(rng)];
        } else {
            item.text += (item.text.empty() ? "" : " ") + v.latin[latin(rng)];
        }
    }
    // Thirty days of items, oldest first.
    item.createdAt = fromUnixMs(kBaseMs + i * 2'592);
    return item;
}

double insertItems(StoreWriter& writer, const Args& args, const Vocabulary& v) {
    std::mt19937_64 rng(7);
    WriterOptions defaults;
    auto start = Clock::now();
    for (long i = 0; i < args.items; ++i) {
        if (i % 1000 == 0) {
            while (writer.counters().queued > defaults.queueCapacity / 2) {
                std::this_thread::sleep_for(std::chrono::microseconds{200});
            }
        }
        NewModerationItem item = benchItem(i, rng, v);
        auto queued = writer.enqueue(
            [item = std::move(item)](WriteContext& c) { return Moderation::insert(c, item); });
        if (!queued) {
            die(queued.error().message());
        }
    }
    writer.flush();
    return double(args.items) / seconds(Clock::now() - start);
}

// The baseline's item source: the same sequence insertItems() enqueues.
struct BaselineItems {
    const Args* args = nullptr;
    const Vocabulary* vocabulary = nullptr;
    std::mt19937_64 rng{7};
    long next = 0;
    NewModerationItem current;
    std::string stateName;
    std::string kindName;

    static int produce(void* self, baseline_item* out) {
        auto* b = static_cast<BaselineItems*>(self);
        if (b->next >= b->args->items) {
            return 0;
        }
        b->current = benchItem(b->next, b->rng, *b->vocabulary);
        b->kindName = toString(b->current.kind);
        b->stateName = toString(b->current.state);
        out->kind = b->kindName.c_str();
        out->stream_id = 1 + b->next % kItemStreams; // created in this order below
        out->author = b->current.author.c_str();
        out->text = b->current.text.c_str();
        out->state = b->stateName.c_str();
        out->created_at = toUnixMs(b->current.createdAt);
        ++b->next;
        return 1;
    }
};

double baselineItems(const Args& args, const Vocabulary& v) {
    auto path = args.dir / "items-baseline.db";
    {
        Database db = openFresh(path);
        WriteContext context(db.connection());
        for (int k = 0; k < kItemStreams; ++k) {
            if (!context.streamId("bench/s" + std::to_string(k))) {
                die("cannot create streams");
            }
        }
    }
    BaselineItems source;
    source.args = &args;
    source.vocabulary = &v;
    double rate =
        sqlite_baseline_insert_items(path.string().c_str(), &BaselineItems::produce, &source);
    if (rate < 0) {
        die("item baseline failed");
    }
    return rate;
}

double durableDecisions(StoreWriter& writer, int count) {
    auto reader = writer.openReader();
    if (!reader) {
        die(reader.error().message());
    }
    ModerationFilter pending;
    pending.states = {ItemState::Pending};
    pending.limit = std::size_t(count);
    auto items = Moderation::list(*reader, pending);
    if (!items) {
        die(items.error().message());
    }
    auto start = Clock::now();
    for (const ModerationItem& item : *items) {
        Transition t{item.id, ItemState::Pending, ItemState::Approved, "bench",
                     "",      fromUnixMs(kBaseMs)};
        auto decided =
            writer.submitDurable([t](WriteContext& c) { return Moderation::transition(c, t); })
                .get();
        if (!decided) {
            die(decided.error().message());
        }
    }
    return double(items->size()) / seconds(Clock::now() - start);
}

struct Shape {
    const char* name;
    std::function<ModerationFilter(std::mt19937_64&)> make;
};

std::vector<Shape> queryShapes(const Vocabulary& v, long items) {
    auto stream = [](std::mt19937_64& r) { return "bench/s" + std::to_string(r() % kItemStreams); };
    auto day = [items](std::mt19937_64& r) {
        std::int64_t spanMs = items * 2'592;
        return fromUnixMs(kBaseMs + std::int64_t(r() % std::uint64_t(spanMs)));
    };
    auto pending = [] {
        ModerationFilter f;
        f.states = {ItemState::Pending};
        return f;
    };
    return {
        {"pending, newest first", [=](auto&) { return pending(); }},
        {"pending, oldest first",
         [=](auto&) {
             auto f = pending();
             f.order = SortOrder::OldestFirst;
             return f;
         }},
        {"pending on a stream",
         [=](auto& r) {
             auto f = pending();
             f.stream = stream(r);
             return f;
         }},
        {"pending questions",
         [=](auto&) {
             auto f = pending();
             f.kinds = {ItemKind::Question};
             return f;
         }},
        {"pending+escalated on a stream",
         [=](auto& r) {
             ModerationFilter f;
             f.states = {ItemState::Pending, ItemState::Escalated};
             f.stream = stream(r);
             return f;
         }},
        {"a stream, one day, any state",
         [=](auto& r) {
             ModerationFilter f;
             f.stream = stream(r);
             f.from = day(r);
             f.to = *f.from + std::chrono::hours{24};
             return f;
         }},
        {"text (a word), any state",
         [=, &v](auto& r) {
             ModerationFilter f;
             f.text = v.latin[r() % v.latin.size()];
             return f;
         }},
        {"text (a word), pending",
         [=, &v](auto& r) {
             auto f = pending();
             f.text = v.latin[r() % v.latin.size()];
             return f;
         }},
        {"text (2 Chinese chars), pending, stream",
         [=, &v](auto& r) {
             auto f = pending();
             f.text = v.chinese[r() % v.chinese.size()];
             f.stream = stream(r);
             return f;
         }},
        {"author",
         [=](auto& r) {
             ModerationFilter f;
             f.author = "user" + std::to_string(r() % 50'000);
             return f;
         }},
        {"pending, page 21 (offset 1000)",
         [=](auto&) {
             auto f = pending();
             f.offset = 1000;
             return f;
         }},
        {"escalated detector flags",
         [=](auto&) {
             ModerationFilter f;
             f.states = {ItemState::Escalated};
             f.kinds = {ItemKind::Detector};
             return f;
         }},
    };
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto index = std::size_t(p * double(v.size() - 1) + 0.5);
    return v[std::min(index, v.size() - 1)];
}

void queryQueue(const std::filesystem::path& path, const Args& args, const Vocabulary& v) {
    auto reader = StoreReader::open(path);
    if (!reader) {
        die(reader.error().message());
    }
    auto shapes = queryShapes(v, args.items);
    std::mt19937_64 rng(11);
    std::vector<double> all;
    std::map<std::string, std::vector<double>> byShape;
    std::size_t rows = 0;
    for (int q = 0; q < args.queries; ++q) {
        const Shape& shape = shapes[std::size_t(q) % shapes.size()];
        ModerationFilter filter = shape.make(rng);
        auto start = Clock::now();
        auto items = Moderation::list(*reader, filter);
        double ms = seconds(Clock::now() - start) * 1000.0;
        if (!items) {
            die(items.error().message());
        }
        rows += items->size();
        all.push_back(ms);
        byShape[shape.name].push_back(ms);
    }
    std::printf("queue query at %ld items, %d queries (limit 50): p50 %.3f ms, p99 %.3f ms, "
                "max %.3f ms, %zu rows returned\n",
                args.items, args.queries, percentile(all, 0.5), percentile(all, 0.99),
                percentile(all, 1.0), rows);
    for (const Shape& shape : shapes) {
        const auto& times = byShape[shape.name];
        if (!times.empty()) {
            std::printf("  %-42s p50 %8.3f ms  max %8.3f ms\n", shape.name, percentile(times, 0.5),
                        percentile(times, 1.0));
        }
    }
    ModerationFilter pending;
    pending.states = {ItemState::Pending};
    auto start = Clock::now();
    auto count = Moderation::count(*reader, pending);
    std::printf("count(pending) = %lld in %.3f ms\n", static_cast<long long>(count.value_or(-1)),
                seconds(Clock::now() - start) * 1000.0);
}

Args parse(int argc, char** argv) {
    Args args;
    args.dir = std::filesystem::temp_directory_path() / "stagecast-store-bench";
    for (int i = 1; i < argc; ++i) {
        auto value = [&](const char* name) {
            if (i + 1 >= argc) {
                die(std::string(name) + " needs a value");
            }
            return std::string(argv[++i]);
        };
        if (!std::strcmp(argv[i], "--dir")) {
            args.dir = value("--dir");
        } else if (!std::strcmp(argv[i], "--samples")) {
            args.samples = std::stol(value("--samples"));
        } else if (!std::strcmp(argv[i], "--paced-seconds")) {
            args.pacedSeconds = std::stoi(value("--paced-seconds"));
        } else if (!std::strcmp(argv[i], "--items")) {
            args.items = std::stol(value("--items"));
        } else if (!std::strcmp(argv[i], "--queries")) {
            args.queries = std::stoi(value("--queries"));
        } else if (!std::strcmp(argv[i], "--only")) {
            std::string part = value("--only");
            if (part != "samples" && part != "items" && part != "queries") {
                die("--only " + part + ": allowed samples, items, queries");
            }
            args.runSamples = part == "samples";
            args.runItems = part != "samples";
            args.insertItems = part != "queries";
        } else {
            die(std::string("unknown option ") + argv[i] +
                "; allowed: --dir --samples --paced-seconds --items --queries --only");
        }
    }
    return args;
}

void benchSamples(const Args& args) {
    WriterCounters counters;
    double writer = maxSustainedSamples(args, counters);
    double baseline = baselineSamples(args);
    std::printf("samples/s through StoreWriter (%ld samples, %llu batches, dropped %llu): %.0f\n",
                args.samples, static_cast<unsigned long long>(counters.batches),
                static_cast<unsigned long long>(counters.samplesDroppedOldest), writer);
    std::printf("samples/s SQLite C baseline (one transaction, one prepared statement): %.0f\n",
                baseline);
    std::printf("ratio StoreWriter / baseline: %.2f\n", writer / baseline);
    pacedSamples(args, 50'000);
}

void benchItems(const Args& args) {
    auto itemsPath = args.dir / "items.db";
    Vocabulary vocabulary;
    {
        std::mt19937_64 rng(3);
        vocabulary = makeVocabulary(rng);
    }
    if (args.insertItems) {
        Database db = openFresh(itemsPath);
        StoreWriter itemWriter(std::move(db));
        double items = insertItems(itemWriter, args, vocabulary);
        double baseline = baselineItems(args, vocabulary);
        std::printf("moderation items/s through StoreWriter (%ld items, FTS5 trigram index): "
                    "%.0f\n",
                    args.items, items);
        std::printf("moderation items/s SQLite C baseline (one transaction, prepared "
                    "statements): %.0f\n",
                    baseline);
        std::printf("ratio StoreWriter / baseline: %.2f\n", items / baseline);
        double decisions = durableDecisions(itemWriter, 200);
        std::printf("durable decisions/s (submitDurable, one at a time, synchronous=FULL): %.0f\n",
                    decisions);
    }
    queryQueue(itemsPath, args, vocabulary);
}

} // namespace

int main(int argc, char** argv) {
    Args args = parse(argc, argv);
    std::filesystem::create_directories(args.dir);
    std::printf("store_bench in %s\n", args.dir.string().c_str());

    if (args.runSamples) {
        benchSamples(args);
    }
    if (args.runItems) {
        benchItems(args);
    }
    return 0;
}
