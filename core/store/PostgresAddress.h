#pragma once
// The team store's address: postgresql://USER@HOST:PORT/DATABASE?sslmode=... (issue 14). A path
// that does not start with postgresql:// (or postgres://) names an SQLite store file.
//
// The password never travels in the address (it would end up in shell history, process lists
// and logs): an address holding one is refused. libpq finds it in PGPASSWORD or ~/.pgpass
// (PGPASSFILE), or the command line asks on the terminal. TLS and timeout settings in the query
// part are handed to libpq unchanged; other parameters are refused, so that a mistyped one is
// not silently ignored.

#include <string>
#include <utility>
#include <vector>

#include "common/Result.h"

namespace cwb::store {

struct PostgresAddress {
    std::string user;  // empty: libpq's default (PGUSER, else the OS user)
    std::string host;  // a name, an address, or a Unix socket folder (percent-encoded /)
    int port = 5432;
    std::string database;
    std::vector<std::pair<std::string, std::string>> options;  // sslmode=..., in order
    // The address as shown in messages and `cwb store info` (never holds a password).
    std::string display() const;
};

bool isPostgresAddress(const std::string& location);
// Bad input (exit 2) naming what is wrong: a password in the address, a missing database, a
// bad port, an unknown parameter, an address longer than 2,000 characters.
Result<PostgresAddress> parsePostgresAddress(const std::string& address);

}  // namespace cwb::store
