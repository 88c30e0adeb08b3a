package io.herald.core.internal;

/**
 * The project this node serves, as the {@code status} action shows it: Actionhero reads {@code name},
 * {@code description} and {@code version} from the project's {@code package.json}; a Herald project has none, so they
 * are keys of {@code io.herald.core} ({@code projectName}, {@code projectDescription}, {@code projectVersion}), which
 * the shipped configuration lets environment variables set. Left empty, they describe the distribution itself.
 */
record ProjectInfo(String name, String description, String version) {

    static final String DEFAULT_NAME = "herald";
    static final String DEFAULT_DESCRIPTION = "A Herald API server";

    /** Empty or blank values take the distribution's: {@value #DEFAULT_NAME}, its description, Herald's version. */
    static ProjectInfo of(String name, String description, String version) {
        return new ProjectInfo(orElse(name, DEFAULT_NAME), orElse(description, DEFAULT_DESCRIPTION),
                orElse(version, HeraldVersion.VALUE));
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
