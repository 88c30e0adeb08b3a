package io.herald.launcher.internal;

import java.util.List;

/**
 * The role could not be brought up: a bundle file is missing, a bundle did not resolve or start, or a
 * Declarative Services component failed. Each problem is one printable line.
 */
final class StartupFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    StartupFailure(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
