package io.herald.launcher.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an idle Redis client out of a node: a role's {@value #FEATURE} feature (Jedis, its libraries and
 * {@code herald-redis}) is installed only when the staged configuration names a Redis, and installed while the node
 * runs as soon as an edit names one. With no {@code REDIS_*} variable set, the shipped connection configurations name
 * none and those bundles would do nothing but cost start-up time (40–85 ms of a 1.0–1.1 s warm start on 2 cores,
 * {@code bench/README.md}).
 *
 * <p>The rule follows {@code ConnectionSettings.parse} of {@code herald-redis}: a configuration of
 * {@value #CONNECTION_PID} (the factory configurations {@code io.herald.redis.connection-<name>.cfg}) names a Redis when
 * {@code host}, {@code sentinels} or {@code clusterNodes} is not blank, or when {@code mode} is set to anything but
 * {@code auto}: an explicit mode without an address is a configuration error, which the bundle must be there to report.
 * So "Redis configured" always means "the Redis bundles are installed"; the reverse does not hold: they stay installed
 * when an edit removes the configuration (they go idle, as they are built to).
 */
final class RedisSwitch {

    static final String FEATURE = "herald-redis";
    static final String CONNECTION_PID = "io.herald.redis.connection";
    private static final List<String> ADDRESS_KEYS = List.of("host", "sentinels", "clusterNodes");

    /**
     * Not static: the launcher calls the static methods before it has pointed Logback at the node's
     * {@code logback.xml}, and the first logger made would initialise Logback with its defaults.
     */
    private final Logger log = LoggerFactory.getLogger(RedisSwitch.class);
    private final List<Feature.BundleSpec> deferred;
    private final RoleFramework role;
    private final Path bundleDir;
    private boolean installed;

    private RedisSwitch(List<Feature.BundleSpec> deferred, RoleFramework role, Path bundleDir) {
        this.deferred = List.copyOf(deferred);
        this.role = role;
        this.bundleDir = bundleDir;
    }

    /**
     * @param deferred the bundles left out at start ({@link #featureOnlyBundles}); empty when nothing was left out
     */
    static RedisSwitch watching(List<Feature.BundleSpec> deferred, RoleFramework role, Path bundleDir) {
        return new RedisSwitch(deferred, role, bundleDir);
    }

    /**
     * The bundles of {@code role} that only its {@value #FEATURE} feature brings, in install order: what a node leaves
     * out while Redis is not configured. Empty when the role does not nest that feature (or is that feature).
     */
    static List<Feature.BundleSpec> featureOnlyBundles(FeaturesFile features, FeaturesFile.Resolution role)
            throws ConfigException {
        if (role.name().equals(FEATURE) || !role.features().contains(FEATURE)) {
            return List.of();
        }
        Set<String> kept = new HashSet<>();
        features.resolve(role.name(), Set.of(FEATURE)).bundles().forEach(bundle -> kept.add(bundle.location()));
        return role.bundles().stream().filter(bundle -> !kept.contains(bundle.location())).toList();
    }

    /** The bundles of {@code role} without {@code leftOut}, in install order. */
    static List<Feature.BundleSpec> without(FeaturesFile.Resolution role, List<Feature.BundleSpec> leftOut) {
        List<Feature.BundleSpec> bundles = new ArrayList<>(role.bundles());
        bundles.removeAll(leftOut);
        return bundles;
    }

    /**
     * @param staged the staged values per PID ({@link ConfigStager#stagedValues()})
     * @return the first connection that names a Redis, as {@code "io.herald.redis.connection-client (host)"}, or null
     */
    static String configuredBy(Map<String, Map<String, String>> staged) {
        return configuredBy(staged, null);
    }

    /**
     * @param connection a connection's name (its {@code name} key, else the {@code <name>} of
     *                   {@code io.herald.redis.connection-<name>}), or null for any connection
     * @return the first such connection that names a Redis, as {@code "io.herald.redis.connection-tasks (host)"}, or
     *     null
     */
    static String configuredBy(Map<String, Map<String, String>> staged, String connection) {
        for (Map.Entry<String, Map<String, String>> entry : staged.entrySet()) {
            String pid = entry.getKey();
            if (!isConnection(pid)) {
                continue;
            }
            Map<String, String> values = entry.getValue();
            if (connection != null && !connection.equals(connectionName(pid, values))) {
                continue;
            }
            for (String key : ADDRESS_KEYS) {
                if (!values.getOrDefault(key, "").isBlank()) {
                    return pid + " (" + key + ")";
                }
            }
            String mode = values.getOrDefault("mode", "").strip().toLowerCase(Locale.ROOT);
            if (!mode.isEmpty() && !mode.equals("auto")) {
                return pid + " (mode " + mode + ")";
            }
        }
        return null;
    }

    /** Whether {@code pid} is a configuration of {@value #CONNECTION_PID} (a factory one: {@code <pid>-<name>}). */
    static boolean isConnection(String pid) {
        return pid.equals(CONNECTION_PID) || pid.startsWith(CONNECTION_PID + "-");
    }

    /** As the Redis bundle names a connection: its {@code name} key, else the file's {@code <name>}. */
    static String connectionName(String pid, Map<String, String> values) {
        String name = values.getOrDefault("name", "").strip();
        if (!name.isEmpty()) {
            return name;
        }
        return pid.length() > CONNECTION_PID.length() ? pid.substring(CONNECTION_PID.length() + 1) : "";
    }

    /** The INFO line of a node that starts without the feature: that Redis is off, and how to turn it on. */
    static String offMessage(int bundles) {
        return "Redis is off: no " + CONNECTION_PID + " configuration names a host, sentinels or cluster nodes, so the "
                + FEATURE + " feature (" + bundles + " bundles) is not installed and this node runs on the embedded"
                + " default. To turn Redis on, set REDIS_HOST (or REDIS_SENTINELS with REDIS_MASTER_NAME, or"
                + " REDIS_CLUSTER_NODES) before the start, or set host, sentinels or clusterNodes in"
                + " config/" + CONNECTION_PID + "-<name>.cfg (picked up while the node runs)";
    }

    /**
     * Called with every newly staged config while the node runs: installs and starts the left-out bundles the first
     * time a connection names a Redis. Runs on the config watcher's thread.
     */
    synchronized void onStaged(Map<String, Map<String, String>> staged) {
        if (installed || deferred.isEmpty()) {
            return;
        }
        String configuredBy = configuredBy(staged);
        if (configuredBy == null) {
            return;
        }
        installed = true;
        log.info("Redis is configured now by {}: installing the {} feature ({} bundles)", configuredBy, FEATURE,
                deferred.size());
        try {
            List<String> problems = role.add(bundleDir, deferred);
            if (problems.isEmpty()) {
                log.info("Redis is on: the {} feature runs", FEATURE);
            } else {
                log.error("The {} feature did not start; restart the node once this is fixed: {}", FEATURE,
                        String.join("; ", problems));
            }
        } catch (StartupFailure e) {
            log.error("The {} feature could not be installed: {}", FEATURE, String.join("; ", e.problems()));
        } catch (BundleException | RuntimeException e) {
            log.error("The {} feature could not be installed: {}", FEATURE, Failures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node is stopping
        }
    }
}
