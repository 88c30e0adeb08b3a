package io.herald.launcher.internal;

/**
 * What {@code herald help} prints: commands, options with their environment variables, exit codes. The commands of the
 * bundles are run generically ({@link BundleCommand}); those the distribution ships are listed here for reference.
 */
final class Usage {

    static final String TEXT = """
                Usage: herald [command] [options]

                Commands:
                  start     run the node in the foreground (default); SIGTERM or SIGINT stops it gracefully
                  check     install, resolve and start the role, wait for its components, report, stop;
                            exits 0 only if everything started (the build runs it for every role)
                  cluster [--workers N]
                            run N nodes (default: one per CPU, at most 64) under a supervisor, as `actionhero
                            start cluster`: the nodes share the port (SO_REUSEPORT), are titled <title>-<n>
                            (default title herald) and are replaced when they die (at once if they had served,
                            after 1 s, 2 s, ... 30 s if they could not start); pids/cluster_pidfile holds the
                            supervisor's pid. Signals to the supervisor: USR2 replaces the nodes one at a time,
                            each new one serving before the old one stops (a new release or JDK goes live
                            without a failed request); TTIN adds a node, TTOU removes one; TERM or INT stops all
                  bundles   list what runs on the running node(s) of this home: bundle id, symbolic name,
                            version, state (ACTIVE, RESOLVED, ...) and the jar it came from (bundle/, deploy/);
                            --title T (HERALD_TITLE) names one node, else every node of data/ and data/nodes/.
                            Without a running node: says so, lists what the role would install, exits 1
                  version   print the version
                  help      print this text
                  COMMAND [ARGS]
                            a command a bundle of the role provides (or a bundle in deploy/): starts the role
                            headless (no web server, task processors or scheduler, its own data directory,
                            deploy/ deployed), runs the command once and exits with its code. The distribution's:
                  task enqueue --name TASK [--args JSON] [--queue Q] [--in MS | --at EPOCH_MS]
                            (herald-tasks) enqueue one job on the Redis of a running cluster, as `actionhero task
                            enqueue`: validates --args (a JSON object, the task's params) against the task's
                            inputs, enqueues, prints the job on one line; --in delays it by MS milliseconds, --at
                            schedules it at EPOCH_MS. Exits 1 naming the error (unknown task, invalid params, no
                            Redis configured: REDIS_HOST, ...)

                Options (each overrides its environment variable):
                  --role R      node role, a feature of features/herald-features.xml: web, worker, all
                                (HERALD_ROLE, default all)
                  --env E       environment; config/<E>/*.cfg overlays config/*.cfg (HERALD_ENV, default development)
                  --config DIRS comma-separated config directories replacing <home>/config (HERALD_CONFIG)
                  --title T     server id (HERALD_TITLE)

                Environment:
                  PROJECT_ROOT             home directory (config/, deploy/, log/, pids/, data/); default: this distribution
                  HERALD_DATA              staged config and framework cache (default <home>/data)
                  HERALD_SHUTDOWN_TIMEOUT  milliseconds a graceful stop may take (default 25000)
                  JAVA_HOME                the JVM bin/herald runs
                  JAVA_OPTS                JVM options, added after bin/herald's defaults (a later -Xmx wins):
                                           -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xmx<HERALD_HEAP>
                  HERALD_HEAP              the heap limit (-Xmx); default by role: 512m for web and all,
                                           256m for worker, 64m for the cluster supervisor
                  HERALD_HEAP_DUMP         true: an OutOfMemoryError writes a heap dump to <home>/log/ first
                  HERALD_JVM_DEFAULTS      false: bin/herald adds no options of its own, JAVA_OPTS alone
                  HERALD_CDS               false: no class data cache (JDK 25: AOT cache, before: CDS archive;
                                           recorded by check in cache/, or by a start in data/)
                  any NAME of ${env:NAME}  what the config reads: PORT, REDIS_HOST (unset: no Redis, embedded default),
                                           MIN_TASK_PROCESSORS, ...: config/README.md lists those config/*.cfg read

                Exit codes: 0 ok, 1 invalid command line or config (a command: refused, e.g. the job was not
                enqueued), 2 the role did not resolve or start; a command may return others.
                """;

    private Usage() {
    }
}
