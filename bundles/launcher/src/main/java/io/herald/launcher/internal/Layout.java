package io.herald.launcher.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are. {@code home} ({@code PROJECT_ROOT}) holds what a deployment owns: config/, deploy/,
 * log/, pids/ and data/. The distribution ({@code installDir}, the parent of lib/) holds what a release
 * ships: bundle/ and features/. They are the same directory unless {@code PROJECT_ROOT} points elsewhere;
 * then a home that has its own bundle/ or features/ uses those.
 */
record Layout(Path home, Path installDir, Path dataDir) {

    static final String FEATURES_FILE = "herald-features.xml";

    Path bundleDir() {
        return preferHome("bundle");
    }

    Path featuresFile() {
        return preferHome("features").resolve(FEATURES_FILE);
    }

    Path deployDir() {
        return home.resolve("deploy");
    }

    Path logDir() {
        return home.resolve("log");
    }

    Path pidsDir() {
        return home.resolve("pids");
    }

    /** The directory FileInstall watches for configuration. */
    Path stagedConfigDir() {
        return dataDir.resolve("config");
    }

    Path frameworkCache() {
        return dataDir.resolve("felix-cache");
    }

    private Path preferHome(String name) {
        Path inHome = home.resolve(name);
        return Files.isDirectory(inHome) || home.equals(installDir) ? inHome : installDir.resolve(name);
    }
}
