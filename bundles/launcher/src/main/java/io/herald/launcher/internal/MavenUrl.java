package io.herald.launcher.internal;

/**
 * A Pax URL style {@code mvn:groupId/artifactId/version[/type[/classifier]]} location, as Karaf feature files
 * use them. The distribution lays bundles out flat, named the way maven-dependency-plugin copies them:
 * {@code <artifactId>-<version>[-<classifier>].<type>}.
 */
record MavenUrl(String groupId, String artifactId, String version, String type, String classifier) {

    private static final String SCHEME = "mvn:";

    /**
     * @throws IllegalArgumentException when the text is not an {@code mvn:} URL with group, artifact and version
     */
    static MavenUrl parse(String location) {
        String text = location.strip();
        if (!text.startsWith(SCHEME)) {
            throw new IllegalArgumentException("'" + location + "' is not an mvn: URL");
        }
        String coordinates = text.substring(SCHEME.length());
        int repositorySeparator = coordinates.indexOf('!');
        if (repositorySeparator >= 0) {
            // Pax URL allows "mvn:http://repo!g/a/v"; the repository does not matter for a local layout.
            coordinates = coordinates.substring(repositorySeparator + 1);
        }
        String[] parts = coordinates.split("/", -1);
        if (parts.length < 3 || parts.length > 5) {
            throw new IllegalArgumentException("'" + location + "' is not mvn:groupId/artifactId/version[/type[/classifier]]");
        }
        for (int i = 0; i < 3; i++) {
            if (parts[i].isBlank()) {
                throw new IllegalArgumentException("'" + location + "' has an empty "
                        + new String[] {"groupId", "artifactId", "version"}[i]);
            }
        }
        String type = parts.length > 3 && !parts[3].isBlank() ? parts[3] : "jar";
        String classifier = parts.length > 4 && !parts[4].isBlank() ? parts[4] : null;
        return new MavenUrl(parts[0], parts[1], parts[2], type, classifier);
    }

    /** The file name this artifact has in the distribution's {@code bundle/} directory. */
    String fileName() {
        return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
    }

    @Override
    public String toString() {
        return SCHEME + groupId + "/" + artifactId + "/" + version
                + (classifier != null ? "/" + type + "/" + classifier : "jar".equals(type) ? "" : "/" + type);
    }
}
