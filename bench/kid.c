/* The child program of the supervisor benchmarks, compiled at run time (static, -O2) into a temp dir.
 *
 *   kid restart FILE LIFE_MS         the first thing it does: append "S <pid> <CLOCK_MONOTONIC ns>" to FILE;
 *                                    then live LIFE_MS, append "E <pid> <ns>" and exit 1 (a crash)
 *   kid flood ID LINES GOFILE DONEFILE
 *                                    wait for GOFILE, write LINES numbered lines of LINE_LEN bytes to stdout
 *                                    as fast as it can, create DONEFILE, then sleep for ever (no restart)
 *   kid check KIDS LINES FILE...     count the numbered lines found in FILEs: every (kid, seq) exactly once?
 *                                    prints "lines=N unique=N duplicates=N missing=N garbled=N"
 *   kid listen PORT DELAY_MS [STAMPFILE NAME]
 *                                    sleep DELAY_MS, then listen on 127.0.0.1:PORT (accept and close for ever);
 *                                    with STAMPFILE, append "NAME <start ns> <listening ns>" to it first
 *   kid idle                         sleep for ever
 *   kid splice FILE                  copy stdin (a pipe) to FILE with splice(2), no user-space pass: the
 *                                    floor of any capture that stores the bytes (the log benchmark's floor)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The shape of the flood, from the environment (the log benchmark's variants):
 *   KID_LINE   bytes per line, newline included (default 100, at least 16)
 *   KID_WRITE  bytes per write(2) (default 65536); 0 writes each line on its own
 *   KID_RATE   lines per second per child (default 0: as fast as it can) */
static int line_len = 100;
static long write_size = 64 * 1024;
static long rate = 0;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

static int write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void append_line(const char *path, const char *line) {
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    write_all(fd, line, strlen(line));
    close(fd);
}

static void forever(void) {
    for (;;) pause();
}

static int restart_mode(int64_t start, const char *file, long life_ms) {
    char line[96];
    snprintf(line, sizeof line, "S %d %lld\n", (int)getpid(), (long long)start);
    append_line(file, line);
    sleep_ms(life_ms);
    int fd = open(file, O_WRONLY | O_APPEND | O_CLOEXEC);
    snprintf(line, sizeof line, "E %d %lld\n", (int)getpid(), (long long)now_ns());
    if (fd >= 0) write_all(fd, line, strlen(line));
    _exit(1);
}

static int flood_mode(int id, long lines, const char *go, const char *done) {
    struct stat st;
    while (stat(go, &st) != 0) sleep_ms(5);
    size_t size = write_size > line_len ? (size_t)write_size : (size_t)line_len;
    char *buf = malloc(size);
    char *line = malloc((size_t)line_len + 32);
    size_t used = 0;
    int64_t began = now_ns();
    for (long seq = 0; seq < lines; seq++) {
        int n = snprintf(line, (size_t)line_len + 32, "#@%d:%09ld ", id, seq);
        memset(line + n, 'x', (size_t)(line_len - 1 - n));
        line[line_len - 1] = '\n';
        if (used + (size_t)line_len > size || (write_size == 0 && used > 0)) {
            if (write_all(1, buf, used) != 0) return 2;
            used = 0;
        }
        memcpy(buf + used, line, (size_t)line_len);
        used += (size_t)line_len;
        if (rate > 0) {
            /* Paced: line SEQ is due SEQ/RATE seconds after the start; each is written when due. */
            if (write_all(1, buf, used) != 0) return 2;
            used = 0;
            int64_t due = began + (int64_t)((seq + 1) * (1000000000.0 / (double)rate));
            int64_t wait = due - now_ns();
            if (wait > 0) {
                struct timespec ts = {wait / 1000000000LL, wait % 1000000000LL};
                while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
                }
            }
        }
    }
    if (used > 0 && write_all(1, buf, used) != 0) return 2;
    append_line(done, "done\n");
    forever();
    return 0;
}

/* One line (without its newline): find "#@ID:SEQ " and check the padding that follows. */
static void check_line(const char *p, size_t len, int kids, long lines, unsigned char **seen, long long *counts) {
    /* counts: 0 lines, 1 unique, 2 duplicates, 3 garbled */
    counts[0]++;
    const char *m = memmem(p, len, "#@", 2);
    if (m == NULL) { counts[3]++; return; }
    size_t off = (size_t)(m - p), rest = len - off;
    if (rest != (size_t)line_len - 1) { counts[3]++; return; }
    char *end;
    long id = strtol(m + 2, &end, 10);
    if (*end != ':' || id < 0 || id >= kids) { counts[3]++; return; }
    long seq = strtol(end + 1, &end, 10);
    if (*end != ' ' || seq < 0 || seq >= lines) { counts[3]++; return; }
    for (const char *q = end + 1; q < m + rest; q++)
        if (*q != 'x') { counts[3]++; return; }
    unsigned char *bits = seen[id];
    if (bits[seq >> 3] & (1u << (seq & 7))) counts[2]++;
    else { bits[seq >> 3] |= (unsigned char)(1u << (seq & 7)); counts[1]++; }
}

static int check_mode(int kids, long lines, int nfiles, char **files) {
    unsigned char **seen = calloc((size_t)kids, sizeof *seen);
    for (int k = 0; k < kids; k++) seen[k] = calloc((size_t)lines / 8 + 1, 1);
    long long counts[4] = {0, 0, 0, 0};
    enum { CHUNK = 1 << 20 };
    char *buf = malloc(CHUNK + 4096);
    char *carry = malloc(1 << 16);
    size_t carried = 0;
    for (int f = 0; f < nfiles; f++) {
        int fd = open(files[f], O_RDONLY);
        if (fd < 0) { perror(files[f]); return 2; }
        carried = 0;
        for (;;) {
            ssize_t n = read(fd, buf, CHUNK);
            if (n < 0) { if (errno == EINTR) continue; perror("read"); return 2; }
            if (n == 0) break;
            size_t start = 0;
            for (size_t i = 0; i < (size_t)n; i++) {
                if (buf[i] != '\n') continue;
                if (carried > 0) {
                    size_t piece = i - start;
                    if (carried + piece < (1 << 16)) {
                        memcpy(carry + carried, buf + start, piece);
                        check_line(carry, carried + piece, kids, lines, seen, counts);
                    } else {
                        counts[0]++; counts[3]++;
                    }
                    carried = 0;
                } else {
                    check_line(buf + start, i - start, kids, lines, seen, counts);
                }
                start = i + 1;
            }
            size_t tail = (size_t)n - start;
            if (tail > 0) {
                if (carried + tail < (1 << 16)) { memcpy(carry + carried, buf + start, tail); carried += tail; }
                else carried = (1 << 16) - 1; /* an absurdly long line: it will count as garbled */
            }
        }
        if (carried > 0) check_line(carry, carried, kids, lines, seen, counts); /* last line without newline */
        close(fd);
    }
    long long missing = (long long)kids * lines - counts[1];
    printf("lines=%lld unique=%lld duplicates=%lld missing=%lld garbled=%lld\n", counts[0], counts[1], counts[2], missing, counts[3]);
    return 0;
}

static int listen_mode(int port, long delay_ms, const char *stampfile, const char *name) {
    int64_t start = now_ns();
    signal(SIGPIPE, SIG_IGN);
    sleep_ms(delay_ms);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int tries = 0; bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0; tries++) {
        if (tries > 200) { perror("bind"); return 2; }
        sleep_ms(10);
    }
    if (listen(fd, 128) != 0) { perror("listen"); return 2; }
    if (stampfile != NULL) {
        char line[256];
        snprintf(line, sizeof line, "%s %lld %lld\n", name, (long long)start, (long long)now_ns());
        append_line(stampfile, line);
    }
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c >= 0) close(c);
    }
}

static int splice_mode(const char *path) {
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) { perror(path); return 1; }
    fcntl(0, F_SETPIPE_SZ, 256 * 1024);
    loff_t offset = 0;
    for (;;) {
        ssize_t n = splice(0, NULL, out, &offset, 256 * 1024, SPLICE_F_MOVE);
        if (n == 0) return 0;
        if (n < 0) { if (errno == EINTR) continue; perror("splice"); return 1; }
    }
}

int main(int argc, char **argv) {
    int64_t start = now_ns(); /* first: the restart benchmark's start stamp */
    if (getenv("KID_LINE")) line_len = atoi(getenv("KID_LINE")) < 16 ? 16 : atoi(getenv("KID_LINE"));
    if (getenv("KID_WRITE")) write_size = atol(getenv("KID_WRITE"));
    if (getenv("KID_RATE")) rate = atol(getenv("KID_RATE"));
    if (argc >= 4 && strcmp(argv[1], "restart") == 0) return restart_mode(start, argv[2], atol(argv[3]));
    if (argc == 6 && strcmp(argv[1], "flood") == 0) return flood_mode(atoi(argv[2]), atol(argv[3]), argv[4], argv[5]);
    if (argc >= 4 && strcmp(argv[1], "check") == 0) return check_mode(atoi(argv[2]), atol(argv[3]), argc - 4, argv + 4);
    if (argc >= 4 && strcmp(argv[1], "listen") == 0)
        return listen_mode(atoi(argv[2]), atol(argv[3]), argc >= 6 ? argv[4] : NULL, argc >= 6 ? argv[5] : NULL);
    if (argc == 2 && strcmp(argv[1], "idle") == 0) forever();
    if (argc == 3 && strcmp(argv[1], "splice") == 0) return splice_mode(argv[2]);
    fprintf(stderr, "usage: kid restart|flood|check|listen|idle|splice ...\n");
    return 2;
}
