package io.herald.launcher.internal.deploy;

import java.time.Instant;

import org.osgi.framework.Bundle;

import io.herald.launcher.spi.Deployment;

/**
 * What the deployer knows of one file name of {@code deploy/}: the bundle running from it (installed from a copy of the
 * file's bytes, so rewriting or deleting the file never pulls classes from under it), the content it runs, and the
 * outcome of the file's latest content. Only the deploy thread touches it.
 */
final class DeployedFile {

    /** Why a refused file's content is retried: only what another deployment can fix is. */
    enum Refusal { NONE, NOT_A_BUNDLE, UNRESOLVED, FAILED }

    final String name;
    /** The bundle running from this file, or null. */
    Bundle running;
    /** SHA-256 (hex) of the running bundle's content, or null. */
    String runningHash;
    /** The stamp of the file content last handled (deployed, refused or found incomplete), or null. */
    FileStamp handled;
    /** SHA-256 of the content last handled, or null. */
    String handledHash;
    Deployment.State state = Deployment.State.PENDING;
    Refusal refusal = Refusal.NONE;
    String problem;
    Instant since = Instant.now();
    /** When a content that does not open as a jar was first seen unchanged (it may still be being written). */
    long incompleteSinceNanos;
    /** The file is gone from deploy/. */
    boolean removed;
    /** Removed, but kept running until a bundle of the same symbolic name runs from another file. */
    boolean keptForRefusedReplacement;

    DeployedFile(String name) {
        this.name = name;
    }

    void state(Deployment.State next, String problemText, Refusal why) {
        if (next != state || !java.util.Objects.equals(problemText, problem)) {
            since = Instant.now();
        }
        state = next;
        problem = problemText;
        refusal = why;
    }

    /**
     * The file's latest content is refused; what ran before keeps running.
     *
     * @param description the refused content ({@code io.example.hello 1.1.0}), or null when it is not a bundle
     * @return the problem, as logged and shown: {@code deploy/x.jar (...) was not deployed: <problem>; <running> keeps
     *     running}
     */
    String refuse(String description, Refusal why, String problemText) {
        String what = description == null ? "deploy/" + name : "deploy/" + name + " (" + description + ")";
        String keeps = running == null ? "" : "; " + runningDescription() + " keeps running";
        state(Deployment.State.REFUSED, what + " was not deployed: " + problemText + keeps, why);
        return problem;
    }

    Deployment snapshot() {
        Bundle bundle = running;
        return new Deployment(name, bundle == null ? null : bundle.getSymbolicName(),
                bundle == null ? null : bundle.getVersion().toString(), state, problem, since);
    }

    /** {@code io.example.hello 1.1.0}, or the file name when nothing runs. */
    String runningDescription() {
        return running == null ? null : running.getSymbolicName() + " " + running.getVersion();
    }
}
