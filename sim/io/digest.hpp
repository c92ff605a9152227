#pragma once
// SHA-256 fingerprints (OpenSSL's libcrypto) of what a run was made from: the resolved scenario
// and the GraphML county. A citation names the run by them; `sha256sum` gives the same hex.

#include <string>
#include <string_view>

namespace anjian {

std::string sha256_hex(std::string_view bytes);  // 64 lower-case hex digits

}  // namespace anjian
