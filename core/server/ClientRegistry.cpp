#include "ClientRegistry.h"

namespace stagecast::server {

const char* toString(ClientRole role) {
    switch (role) {
    case ClientRole::Connecting:
        return "connecting";
    case ClientRole::Publisher:
        return "publisher";
    case ClientRole::Player:
        return "player";
    case ClientRole::Api:
        return "api";
    }
    return "unknown";
}

base::Result<std::shared_ptr<ClientInfo>>
ClientRegistry::admit(std::string protocol, std::string address, Closer closer) {
    std::lock_guard lock(mutex_);
    if (clients_.size() >= limits_.maxConnections) {
        return base::fail("too many connections: limit " + std::to_string(limits_.maxConnections) +
                          " (limits.max_connections)");
    }
    auto& count = perAddress_[address];
    if (count >= limits_.maxPerAddress) {
        return base::fail("too many connections from " + address + ": limit " +
                          std::to_string(limits_.maxPerAddress) +
                          " (limits.max_connections_per_ip)");
    }
    ++count;
    auto info = std::make_shared<ClientInfo>();
    info->id = nextId_++;
    info->protocol = std::move(protocol);
    info->address = std::move(address);
    info->connectedAt = std::chrono::system_clock::now();
    info->connectedSteady = std::chrono::steady_clock::now();
    clients_.emplace(info->id, Entry{info, std::move(closer)});
    return info;
}

void ClientRegistry::remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(id);
    if (it == clients_.end()) {
        return;
    }
    retiredBytesOut_ += it->second.info->bytesOut.load();
    retiredBytesIn_ += it->second.info->bytesIn.load();
    auto pa = perAddress_.find(it->second.info->address);
    if (pa != perAddress_.end() && --pa->second == 0) {
        perAddress_.erase(pa);
    }
    clients_.erase(it);
}

void ClientRegistry::describe(std::uint64_t id, ClientRole role, std::string stream,
                              std::string userAgent) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(id);
    if (it == clients_.end()) {
        return;
    }
    it->second.info->role = role;
    it->second.info->stream = std::move(stream);
    if (!userAgent.empty()) {
        it->second.info->userAgent = std::move(userAgent);
    }
}

void ClientRegistry::setCloser(std::uint64_t id, Closer closer) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(id);
    if (it != clients_.end()) {
        it->second.closer = std::move(closer);
    }
}

void ClientRegistry::setProtocol(std::uint64_t id, std::string protocol) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(id);
    if (it != clients_.end()) {
        it->second.info->protocol = std::move(protocol);
    }
}

void ClientRegistry::setLink(std::uint64_t id, const LinkStats& link) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(id);
    if (it != clients_.end()) {
        it->second.info->link = link;
    }
}

std::vector<ClientView> ClientRegistry::list() const {
    std::lock_guard lock(mutex_);
    std::vector<ClientView> out;
    auto now = std::chrono::steady_clock::now();
    for (const auto& [id, e] : clients_) {
        const auto& i = *e.info;
        ClientView v;
        v.id = id;
        v.protocol = i.protocol;
        v.address = i.address;
        v.role = i.role;
        v.stream = i.stream;
        v.userAgent = i.userAgent;
        v.connectedAt = i.connectedAt;
        v.connectedFor =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - i.connectedSteady);
        v.bytesIn = i.bytesIn.load();
        v.bytesOut = i.bytesOut.load();
        v.link = i.link;
        out.push_back(std::move(v));
    }
    return out;
}

bool ClientRegistry::kick(std::uint64_t id, const std::string& reason) {
    Closer closer;
    {
        std::lock_guard lock(mutex_);
        auto it = clients_.find(id);
        if (it == clients_.end()) {
            return false;
        }
        closer = it->second.closer;
    }
    closer(reason);
    return true;
}

void ClientRegistry::closeAll(const std::string& reason) {
    std::vector<Closer> closers;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, e] : clients_) {
            closers.push_back(e.closer);
        }
    }
    for (auto& c : closers) {
        c(reason);
    }
}

std::size_t ClientRegistry::size() const {
    std::lock_guard lock(mutex_);
    return clients_.size();
}

std::uint64_t ClientRegistry::totalBytesOut() const {
    std::lock_guard lock(mutex_);
    std::uint64_t sum = retiredBytesOut_;
    for (const auto& [id, e] : clients_) {
        sum += e.info->bytesOut.load();
    }
    return sum;
}

std::uint64_t ClientRegistry::totalBytesIn() const {
    std::lock_guard lock(mutex_);
    std::uint64_t sum = retiredBytesIn_;
    for (const auto& [id, e] : clients_) {
        sum += e.info->bytesIn.load();
    }
    return sum;
}

} // namespace stagecast::server
