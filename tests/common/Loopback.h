#pragma once
// Loopback ports for tests that start real servers (prometheus-pushgateway, PostgreSQL): a
// listening socket on a kernel-chosen 127.0.0.1 port, and a port nobody listens on.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtGlobal>

namespace cwb::test {

// A loopback listening socket on a kernel-chosen port (-1 on failure).
inline int listenLoopback(int backlog) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, backlog) != 0) {
        if (fd >= 0) ::close(fd);
        return -1;
    }
    return fd;
}

inline quint16 portOf(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

// A port nobody listens on (bound once by the kernel's choice, then released).
inline quint16 freePort() {
    const int fd = listenLoopback(1);
    const quint16 port = fd >= 0 ? portOf(fd) : 0;
    if (fd >= 0) ::close(fd);
    return port;
}

}  // namespace cwb::test
