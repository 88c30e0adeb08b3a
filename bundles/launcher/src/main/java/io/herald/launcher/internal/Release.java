package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a node serves from, with symbolic links resolved: the home, its config directories and its
 * {@code deploy/}. Resolved once at start and again only on USR2 ({@link Reload}), so that a release script that points
 * {@code PROJECT_ROOT} (say {@code /srv/app/current}) at a new release switches config and {@code deploy/} together, on
 * the operator's signal, as the git-deploy recipe Actionhero's deployment guide describes; never one now and the other
 * later.
 */
record Release(Path home, List<Path> configDirs, Path deployDir) {

    static Release of(LaunchOptions options) {
        Path home = real(options.home());
        List<Path> configDirs = new ArrayList<>();
        for (Path dir : options.configDirs()) {
            configDirs.add(dir.startsWith(options.home()) ? home.resolve(options.home().relativize(dir)) : real(dir));
        }
        return new Release(home, List.copyOf(configDirs), home.resolve("deploy"));
    }

    /**
     * {@code path} with the links of the home resolved: a directory under {@code PROJECT_ROOT} (the data directory) in
     * the release the home points at now, so it stays there when the link moves; any other path as given.
     */
    Path locate(LaunchOptions options, Path path) {
        return path.startsWith(options.home()) ? home.resolve(options.home().relativize(path)) : path;
    }

    /** The path with its links resolved, or as given while it does not exist yet. */
    private static Path real(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath() : path;
        } catch (IOException e) {
            return path;
        }
    }
}
