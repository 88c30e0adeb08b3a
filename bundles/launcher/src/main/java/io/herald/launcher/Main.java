package io.herald.launcher;

import io.herald.launcher.internal.Launcher;

/**
 * {@code bin/herald}'s entry point: {@code java -cp 'lib/*' io.herald.launcher.Main [command] [options]}.
 * Run {@code herald help} for the commands, options and exit codes.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Launcher.run(args));
    }
}
