package io.herald.launcher.internal;

import java.util.List;
import java.util.Map;

/**
 * One {@code <feature>} of a Karaf features file, reduced to what the launcher uses.
 *
 * @param features names of the nested features, in document order
 * @param configs  {@code <config name="pid">} blocks, parsed into key/value pairs
 */
record Feature(String name, String version, String description, List<String> features,
        List<BundleSpec> bundles, Map<String, Map<String, String>> configs) {

    /**
     * A {@code <bundle>} entry.
     *
     * @param location   the {@code mvn:} URL as written
     * @param startLevel the start level, or {@link #DEFAULT_START_LEVEL} when the attribute is absent
     * @param start      false when the feature says {@code start="false"} (installed, not started)
     */
    record BundleSpec(String location, int startLevel, boolean start) {

        /** Herald's own level: infrastructure 1, libraries 2, application 3, deploy/ 4. */
        static final int DEFAULT_START_LEVEL = 3;
    }
}
