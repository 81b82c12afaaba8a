/*
 * peakrss [-o FILE] COMMAND [ARG...]
 *
 * Run COMMAND and, when it has finished, write one line
 *   cpu_seconds<TAB>wall_seconds<TAB>peak_rss_kb
 * to FILE (default: standard error).  cpu_seconds is user + system time of
 * COMMAND and every descendant it waited for; peak_rss_kb is the largest
 * resident set of any of them (getrusage RUSAGE_CHILDREN).  The exit status
 * is COMMAND's (128 + signal number when it was killed, 127 when it could
 * not be started), so benchmarks can tell a failed run from a slow one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *out_path = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-o") == 0) {
        out_path = argv[2];
        first = 3;
    }
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (first >= argc) {
        fputs("usage: peakrss [-o FILE] COMMAND [ARG...]\n", stderr);
        return 2;
    }

    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "peakrss: fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execvp(argv[first], argv + first);
        fprintf(stderr, "peakrss: %s: %s\n", argv[first], strerror(errno));
        _exit(127);
    }
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "peakrss: waitpid: %s\n", strerror(errno));
            return 127;
        }
    }
    double wall = now() - start;

    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        fprintf(stderr, "peakrss: getrusage: %s\n", strerror(errno));
        return 127;
    }
    FILE *out = stderr;
    if (out_path && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "peakrss: %s: %s\n", out_path, strerror(errno));
        return 127;
    }
    fprintf(out, "%.3f\t%.3f\t%ld\n", seconds(ru.ru_utime) + seconds(ru.ru_stime), wall,
            ru.ru_maxrss);
    if (out != stderr && fclose(out) != 0) {
        fprintf(stderr, "peakrss: %s: %s\n", out_path, strerror(errno));
        return 127;
    }
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return WEXITSTATUS(wstatus);
}
