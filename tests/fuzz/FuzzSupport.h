#pragma once
// What the fuzz targets share: the libFuzzer entry point's signature, a scratch file for the
// readers that take a path, and a sink that makes every byte a target hands back be read (so
// AddressSanitizer sees a view that points outside its buffer).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace cwb::fuzz {

// A file of this process that holds the current input, for readers that open a path. In
// /dev/shm when there is one: the fuzzer rewrites it thousands of times a second.
inline const std::string& scratchPath(const char* name) {
    static const std::string path = [name] {
        const char* dir = std::getenv("CWB_FUZZ_TMP");
        std::string base = dir ? dir : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        return base + "/cwb-fuzz-" + name + "-" + std::to_string(getpid());
    }();
    return path;
}

inline const std::string& writeScratch(const char* name, const std::uint8_t* data,
                                       std::size_t size) {
    const std::string& path = scratchPath(name);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    if (std::fclose(f) != 0) std::abort();
    return path;
}

inline void removeScratch(const char* name) {
    std::remove(scratchPath(name).c_str());
}

// Where touch() leaves its sum, so the optimiser cannot drop the reads.
inline volatile unsigned char g_touchSink = 0;

// Reads every byte of text.
inline void touch(std::string_view text) {
    unsigned char sum = 0;
    for (char c : text)
        sum = static_cast<unsigned char>(sum + static_cast<unsigned char>(c));
    g_touchSink = sum;
}

// A broken invariant found by a target: stop with a message the fuzzer records as a crash.
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

}  // namespace cwb::fuzz
