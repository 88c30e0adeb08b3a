package io.herald.launcher.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.herald.launcher.spi.Command;
import io.herald.launcher.internal.framework.Failures;

/**
 * Runs a command a bundle provides ({@link Command}) on a role the launcher started headless: finds the service whose
 * {@value Command#NAME} is the longest match of the command line's leading words, waiting a bounded time for it (a
 * component may register it a moment after the start settled), runs it, and prints what it printed, each problem line
 * as {@code herald: <name>: <line>}.
 */
final class BundleCommand {

    /** How long the command's service may take to appear (ms); system property {@code herald.command.timeout}. */
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final long POLL_MILLIS = 20;

    private BundleCommand() {
    }

    /** The leading words of {@code commandLine}: what names the command, the rest being its arguments. */
    static List<String> words(List<String> commandLine) {
        int end = 0;
        while (end < commandLine.size() && !commandLine.get(end).startsWith("-")) {
            end++;
        }
        return commandLine.subList(0, end);
    }

    /**
     * @param commandLine the command's words and arguments ({@link LaunchOptions#commandLine()})
     * @return the exit code: the command's, 1 when no bundle provides it, 2 when it threw
     */
    static int run(BundleContext context, List<String> commandLine, String role, PrintStream out, PrintStream err)
            throws InterruptedException {
        long deadline = System.nanoTime() + Long.getLong("herald.command.timeout", TIMEOUT_MILLIS) * 1_000_000;
        ServiceReference<Command> reference = find(context, commandLine);
        while (reference == null && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            reference = find(context, commandLine);
        }
        if (reference == null) {
            Set<String> names = new TreeSet<>(references(context).stream().map(BundleCommand::name).toList());
            err.println("herald: unknown command '" + String.join(" ", words(commandLine)) + "': no bundle of role '"
                    + role + "' or of deploy/ provides it (commands: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + "; see: herald help)");
            return Launcher.EXIT_CONFIG;
        }
        String name = name(reference);
        Command command = context.getService(reference);
        StringWriter printed = new StringWriter();
        StringWriter problems = new StringWriter();
        int exit;
        try (PrintWriter commandOut = new PrintWriter(printed); PrintWriter commandErr = new PrintWriter(problems)) {
            if (command == null) {
                throw new IllegalStateException("its service could not be obtained (its component did not activate)");
            }
            exit = command.run(commandLine.subList(name.split(" ").length, commandLine.size()), commandOut, commandErr);
        } catch (RuntimeException e) {
            problems.write("failed: " + Failures.describe(e) + System.lineSeparator());
            exit = Launcher.EXIT_STARTUP;
        } finally {
            context.ungetService(reference);
        }
        out.print(printed);
        out.flush();
        problems.toString().lines().forEach(line -> err.println("herald: " + name + ": " + line));
        return exit;
    }

    /** The service of the longest name that the leading words start with; among equals, the highest ranked. */
    private static ServiceReference<Command> find(BundleContext context, List<String> commandLine) {
        List<String> words = words(commandLine);
        return references(context).stream().filter(reference -> {
            List<String> name = List.of(name(reference).split(" "));
            return name.size() <= words.size() && name.equals(words.subList(0, name.size()));
        }).max(Comparator.<ServiceReference<Command>>comparingInt(reference -> name(reference).split(" ").length)
                .thenComparing(Comparator.naturalOrder())).orElse(null);
    }

    private static List<ServiceReference<Command>> references(BundleContext context) {
        try {
            return List.copyOf(context.getServiceReferences(Command.class, "(" + Command.NAME + "=*)"));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command's name with its words separated by single spaces. */
    private static String name(ServiceReference<Command> reference) {
        return String.join(" ", String.valueOf(reference.getProperty(Command.NAME)).strip().split("\\s+"));
    }
}
