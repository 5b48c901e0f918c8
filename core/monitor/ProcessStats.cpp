#include "monitor/ProcessStats.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace cwb {

std::optional<ProcessStats> readProcessStats() {
    ProcessStats stats;
    {
        std::ifstream statm("/proc/self/statm");
        std::uint64_t size = 0, resident = 0;
        if (!(statm >> size >> resident)) return std::nullopt;
        const long page = ::sysconf(_SC_PAGESIZE);
        stats.residentBytes = resident * static_cast<std::uint64_t>(page > 0 ? page : 4096);
    }
    {
        std::ifstream file("/proc/self/stat");
        const std::string text((std::istreambuf_iterator<char>(file)),
                               std::istreambuf_iterator<char>());
        // Field 2 (comm) is in parentheses and may contain spaces: count fields after the last
        // ')'. utime and stime are fields 14 and 15, i.e. the 12th and 13th after comm.
        const auto close = text.rfind(')');
        if (close == std::string::npos) return std::nullopt;
        std::istringstream rest(text.substr(close + 1));
        std::string field;
        unsigned long long utime = 0, stime = 0;
        for (int i = 3; i <= 13; ++i)
            if (!(rest >> field)) return std::nullopt;
        if (!(rest >> utime >> stime)) return std::nullopt;
        const long ticks = ::sysconf(_SC_CLK_TCK);
        stats.cpuSeconds =
            static_cast<double>(utime + stime) / static_cast<double>(ticks > 0 ? ticks : 100);
    }
    return stats;
}

}  // namespace cwb
