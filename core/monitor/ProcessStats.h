#pragma once
// Resource use of this process from /proc/self (Linux): resident memory and CPU time. Read
// just before each metrics push, so a few syscalls per push and none while scoring.

#include <cstdint>
#include <optional>

namespace cwb {

struct ProcessStats {
    std::uint64_t residentBytes = 0;  // /proc/self/statm field 2 (pages) x page size
    double cpuSeconds = 0.0;          // /proc/self/stat utime + stime (clock ticks) / CLK_TCK
};

// nullopt when /proc is not available or not in the expected format.
std::optional<ProcessStats> readProcessStats();

}  // namespace cwb
