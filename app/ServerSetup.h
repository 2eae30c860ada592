#pragma once
/// Turns the configuration and the data folder's secrets into the server's options.

#include <filesystem>

#include "base/Result.h"
#include "config/Config.h"
#include "server/ServerOptions.h"

namespace stagecast::app {

struct Secrets {
    std::string authKey;
    std::string apiToken;
    std::string webhookSecret; // empty while no webhook URL is configured
};

/// The configured key/token, or the ones generated once into the data folder.
base::Result<Secrets> resolveSecrets(const config::Config& cfg,
                                     const std::filesystem::path& dataDir);

base::Result<server::ServerOptions> makeServerOptions(const config::Config& cfg,
                                                      const Secrets& secrets);

/// The address to print in URLs: public_host if set, else this machine's outbound address,
/// else 127.0.0.1.
std::string publicHost(const config::Config& cfg);

} // namespace stagecast::app
