package io.herald.launcher.spi;

import java.time.Instant;

/**
 * One file of {@code deploy/} and what runs from it.
 *
 * @param file the file name in {@code deploy/}
 * @param symbolicName the {@code Bundle-SymbolicName} of what runs from the file, or {@code null} when nothing does
 * @param version the bundle version of what runs from the file, or {@code null} when nothing does
 * @param state see {@link State}
 * @param problem why the file's current content does not run (names the file, the bundle and what is missing), or
 *        {@code null}
 * @param since when the state was reached
 * @since 1.0
 */
public record Deployment(String file, String symbolicName, String version, State state, String problem, Instant since) {

    public enum State {
        /** The file's current content runs. */
        ACTIVE,
        /** The file changed and is being deployed (still being written, or resolving). */
        PENDING,
        /**
         * The file's current content was refused ({@link Deployment#problem()} says why): the version that ran before
         * it, if any ({@link Deployment#symbolicName()}, {@link Deployment#version()}), keeps running.
         */
        REFUSED,
        /**
         * The file was removed, but its bundle keeps running because bundles still in {@code deploy/} need it
         * ({@link Deployment#problem()} names them).
         */
        KEPT
    }
}
