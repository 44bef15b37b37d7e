// socket_copy: the raw loopback TCP throughput that bounds any shuffle between two
// processes of one machine; the baseline of run_cluster.sh. No ember: a plain socket
// copy, as a user would measure it.
//
//   socket_copy <mebibytes>
//
// A child process connects to the parent on 127.0.0.1 and writes <mebibytes> MiB in
// 1 MiB writes; the parent reads them all and prints
//   raw  seconds=<s> bytes=<n> mbps=<MB/s>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

void writeAll(int fd, long long bytes) {
  std::vector<char> buffer(1 << 20, 'x');
  while (bytes > 0) {
    const auto chunk = static_cast<std::size_t>(std::min<long long>(bytes, buffer.size()));
    const ssize_t n = ::write(fd, buffer.data(), chunk);
    if (n < 0) die("socket_copy: write");
    bytes -= n;
  }
}

long long readAll(int fd) {
  std::vector<char> buffer(1 << 20);
  long long total = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) die("socket_copy: read");
    if (n == 0) return total;
    total += n;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <mebibytes>\n", argv[0]);
    return 2;
  }
  const long long bytes = std::atoll(argv[1]) * (1LL << 20);
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) die("socket_copy: socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    die("socket_copy: bind");

  const pid_t child = ::fork();
  if (child < 0) die("socket_copy: fork");
  if (child == 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0)
      die("socket_copy: connect");
    writeAll(fd, bytes);
    ::close(fd);
    std::_Exit(0);
  }
  const int fd = ::accept(listener, nullptr, nullptr);
  if (fd < 0) die("socket_copy: accept");
  const auto start = std::chrono::steady_clock::now();
  const long long got = readAll(fd);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int status = 0;
  ::waitpid(child, &status, 0);
  if (got != bytes || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "socket_copy: read %lld of %lld bytes\n", got, bytes);
    return 1;
  }
  std::printf("raw  seconds=%.3f bytes=%lld mbps=%.1f\n", seconds, bytes, bytes / seconds / 1e6);
  return 0;
}
